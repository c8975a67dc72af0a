#!/usr/bin/env python3
"""Exports small Hugging Face transformers (two layers, hidden 256, 8 heads, vocabulary 1000,
sequence 64, random weights) as ONNX: the decoder LLM families with grouped-query attention
(Qwen2, Gemma, Mistral, Llama 3 with its rope scaling) and OPT through the dynamo exporter
(the TorchScript one cannot convert their attention), the others (Phi-3, GPT-NeoX, BLOOM's
ALiBi, Falcon, DistilBERT, RoBERTa with its CumSum position ids, T5's encoder) through
TorchScript. Tensors above 1 KiB move to external data whose file is removed, and doc strings and metadata are cleared (graph, shapes
and small constants only). Prints each file's MACs from ONNX's shape inference (every MatMul
and Gemm; `None` where it leaves a shape unknown).

    python3 -m venv env && env/bin/pip install torch transformers onnx onnxscript
    env/bin/python test-suite/models/hf/export.py test-suite/models/hf [MODEL ...]
"""
import os
import sys
import warnings

import onnx
import torch
import transformers as T
from onnx import shape_inference
from onnx.external_data_helper import convert_model_to_external_data

SEQ = 64
SMALL = dict(num_hidden_layers=2, num_attention_heads=8, vocab_size=1000)
MODELS = {
    "qwen2": (True, lambda: T.Qwen2ForCausalLM(T.Qwen2Config(hidden_size=256, intermediate_size=512, num_key_value_heads=2, **SMALL))),
    "gemma": (True, lambda: T.GemmaForCausalLM(T.GemmaConfig(hidden_size=256, intermediate_size=512, num_key_value_heads=1, head_dim=32, **SMALL))),
    "mistral": (True, lambda: T.MistralForCausalLM(T.MistralConfig(hidden_size=256, intermediate_size=512, num_key_value_heads=2, **SMALL))),
    "llama3": (True, lambda: T.LlamaForCausalLM(T.LlamaConfig(
        hidden_size=256, intermediate_size=512, num_key_value_heads=2, **SMALL,
        rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                      "original_max_position_embeddings": 8192}))),
    "opt": (True, lambda: T.OPTForCausalLM(T.OPTConfig(hidden_size=256, ffn_dim=512, word_embed_proj_dim=256, **SMALL))),
    "phi3": (False, lambda: T.Phi3ForCausalLM(T.Phi3Config(hidden_size=256, intermediate_size=512, num_key_value_heads=8, pad_token_id=0, **SMALL))),
    "gpt_neox": (False, lambda: T.GPTNeoXForCausalLM(T.GPTNeoXConfig(hidden_size=256, intermediate_size=512, **SMALL))),
    "bloom": (False, lambda: T.BloomForCausalLM(T.BloomConfig(hidden_size=256, n_layer=2, n_head=8, vocab_size=1000))),
    "falcon": (False, lambda: T.FalconForCausalLM(T.FalconConfig(hidden_size=256, **SMALL))),
    "distilbert": (False, lambda: T.DistilBertModel(T.DistilBertConfig(dim=256, hidden_dim=512, n_layers=2, n_heads=8, vocab_size=1000))),
    "roberta": (False, lambda: T.RobertaModel(T.RobertaConfig(hidden_size=256, intermediate_size=512, **SMALL))),
    "t5_encoder": (False, lambda: T.T5EncoderModel(T.T5Config(d_model=256, d_ff=512, num_layers=2, num_heads=8, d_kv=32, vocab_size=1000))),
}


class FirstOutput(torch.nn.Module):
    """The model's first output (logits or last hidden state), without a KV cache."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, ids):
        takes_cache = "use_cache" in self.model.forward.__code__.co_varnames
        out = self.model(input_ids=ids, use_cache=False) if takes_cache else self.model(input_ids=ids)
        return out[0]


def macs(model):
    inferred = shape_inference.infer_shapes(model)
    shapes = {t.name: list(t.dims) for t in model.graph.initializer}
    for v in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        dims = [d.dim_value for d in v.type.tensor_type.shape.dim]
        if dims and all(d > 0 for d in dims):
            shapes[v.name] = dims
    total = 0
    for n in model.graph.node:
        if n.op_type not in ("MatMul", "Gemm"):
            continue
        if n.input[0] not in shapes or n.output[0] not in shapes:
            return None
        a, y = shapes[n.input[0]], shapes[n.output[0]]
        trans_a = any(at.name == "transA" and at.i for at in n.attribute)
        out = 1
        for d in y:
            out *= d
        total += out * (a[0] if trans_a else a[-1])
    return total


def clear_metadata(model):
    del model.metadata_props[:]
    model.graph.doc_string = ""
    for n in model.graph.node:
        n.doc_string = ""
        del n.metadata_props[:]
    for v in list(model.graph.value_info) + list(model.graph.input) + list(model.graph.output):
        v.doc_string = ""
        del v.metadata_props[:]
    for t in model.graph.initializer:
        t.doc_string = ""
        del t.metadata_props[:]


def main(folder, only):
    warnings.filterwarnings("ignore")
    for name, (dynamo, build) in MODELS.items():
        if only and name not in only:
            continue
        torch.manual_seed(0)
        path = os.path.join(folder, f"{name}.onnx")
        ids = torch.randint(0, 1000, (1, SEQ))
        opset = 18 if dynamo else 17
        torch.onnx.export(FirstOutput(build().eval()), (ids,), path, dynamo=dynamo, opset_version=opset)
        model = onnx.load(path)
        # The dynamo exporter writes large models with external data of its own.
        if os.path.exists(path + ".data"):
            os.remove(path + ".data")
        count = macs(model)
        clear_metadata(model)
        convert_model_to_external_data(model, all_tensors_to_one_file=True, location=f"{name}.data", size_threshold=1024)
        onnx.save_model(model, path, save_as_external_data=True, location=f"{name}.data", size_threshold=1024)
        os.remove(os.path.join(folder, f"{name}.data"))
        exporter = "dynamo" if dynamo else "TorchScript"
        print(f"{name} exporter={exporter} opset={opset} nodes={len(model.graph.node)} macs={count} "
              f"bytes={os.path.getsize(path)}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)), sys.argv[2:])
