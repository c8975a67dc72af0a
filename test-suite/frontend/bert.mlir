// RUN: dnnc models/bert_base_l2_s128.onnx --emit=graph
// BERT (2 layers, sequence 128; TorchScript export without value_info): the token-type and
// position shape arithmetic (ConstantOfShape/Mul/Equal/Where/Expand) folds to constants at
// import, so every reshape gets a static shape; GELU in its Erf form.
