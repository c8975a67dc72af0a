// RUN: dnnc models/gpt2_l2_s128.onnx --emit=graph
// GPT-2 (2 layers, sequence 128; torch.export/dynamo, opset 17): embeddings via Gather, fused
// QKV split, attention with the causal mask built from And/Where/IsNaN, tanh-GELU, layer norms.
