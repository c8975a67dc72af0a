// RUN: dnnc onnxtxt/convnet.onnxtxt --arch tpu_like --emit=report
// RUN: dnnc onnxtxt/convnet.onnxtxt --arch tpu_like --emit=zigzag-mapping
// RUN: dnnc onnxtxt/convnet.onnxtxt --arch gemmini --emit=schedule
// RUN: dnnc onnxtxt/mlp.onnxtxt --bind N=4 --arch eyeriss_like --objective latency --emit=json
// RUN: dnnc onnxtxt/convnet.onnxtxt --arch tpu_like --emit=report --search layerwise
// RUN: dnnc onnxtxt/convnet.onnxtxt --arch tpu_like --emit=report --search random
// RUN: dnnc onnxtxt/convnet.onnxtxt --arch tpu_like --emit=report --search layerwise --spatial D1=K:8,D2=C:1
// RUN: dnnc onnxtxt/convnet.onnxtxt --arch tpu_like --emit=report --spatial D1=K8
// The schedule stages: the tile pass maps every MAC einsum (FADiff search on the cost model)
// and costs the rest on the vector unit; the report, the ZigZag mapping file, the scheduled
// IR and the JSON schedule are all deterministic for a given seed.
