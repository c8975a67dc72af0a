// RUN: dnnc onnxtxt/alexnet.onnxtxt --emit=summary
// BVLC AlexNet at 227×227, the workload of Eyeriss and most accelerator papers: LRN after the
// first two convolutions (decomposed into channel-window sums), two-tower grouped convolutions,
// Dropout as the identity. Its MACs, counted by hand: conv1 96·3·11·11·55·55 = 105 415 200,
// conv2 256·48·5·5·27·27 = 223 948 800, conv3 384·256·3·3·13·13 = 149 520 384, conv4
// 384·192·9·169 = 112 140 288, conv5 256·192·9·169 = 74 760 192, fc6 9216·4096 = 37 748 736,
// fc7 4096·4096 = 16 777 216, fc8 4096·1000 = 4 096 000: 724 406 816.
