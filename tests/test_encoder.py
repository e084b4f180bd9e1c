"""The numpy query path must give sentence-transformers' vectors (cosine >= 0.999)."""

import numpy as np

from assistant.encoder import NumpyMiniLM


def test_numpy_path_matches_sentence_transformers(embeddings):
    texts = [
        "How many IPR cases did Chinese courts conclude last year?",
        "Courts across China concluded nearly 320,000 IPR cases of various types last year.",
        "x",
        "Première phrase avec des accents — et des tirets.",
        "word " * 400,  # longer than the model's 256 word pieces: both sides truncate
    ]
    fast = NumpyMiniLM().encode(texts)
    reference = embeddings.encode_documents(texts)
    cosines = (fast * reference).sum(axis=1)
    assert fast.shape == (5, 384)
    assert np.all(cosines >= 0.999), cosines
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)


def test_batches_with_padding_match_single_texts():
    encoder = NumpyMiniLM()
    together = encoder.encode(["short", "a much longer sentence with many more words in it"])
    alone = np.vstack([encoder.encode(["short"]), encoder.encode(["a much longer sentence with many more words in it"])])
    assert np.allclose(together, alone, atol=1e-5)


def test_question_encoder_runs_numpy_blas_on_one_thread():
    # With two OpenBLAS threads a question took ~1 s instead of ~16 ms whenever the other core was
    # busy (an LLM generating): the encoder must pin numpy's OpenBLAS to one thread once loaded.
    from threadpoolctl import threadpool_info

    NumpyMiniLM().encode(["warm up"])
    openblas = [i for i in threadpool_info() if i["internal_api"] == "openblas"]
    assert openblas and all(i["num_threads"] == 1 for i in openblas)
