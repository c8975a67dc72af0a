// RUN: dnnc-opt %s --allow-unregistered-dialect
// Regions: entry blocks with and without arguments, several blocks, several regions,
// nesting, values used from enclosing blocks, numbering restarting inside isolated ops
// (func.func), empty regions, and multi-result ops with `%x:2` and `%x#1`.

"func.func"() ({
^bb0(%x: tensor<4xf32>, %y: i32):
  %r:2 = "test.split"(%x) : (tensor<4xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  %loop = "test.loop"(%y) ({
  ^body(%i: index):
    "test.use"(%r#1, %i, %x) : (tensor<2xf32>, index, tensor<4xf32>) -> ()
    "test.yield"() : () -> ()
  ^second:
    "test.yield"() : () -> ()
  }, {
    %inner = "test.inner"() : () -> i32
    "test.yield"(%inner) : (i32) -> ()
  }, {
  }) : (i32) -> i32
  "func.return"(%r#0) : (tensor<2xf32>) -> ()
}) {function_type = (tensor<4xf32>, i32) -> tensor<2xf32>, sym_name = "split"} : () -> ()

"func.func"() ({
^bb0(%a: i32):
  %0 = "test.first_in_second_function"(%a) : (i32) -> i32
  "func.return"(%0) : (i32) -> ()
}) {function_type = (i32) -> i32, sym_name = "numbering_restarts"} : () -> ()

%a, %b:2 = "test.groups"() : () -> (i32, f32, f32)
"test.use_groups"(%a, %b#0, %b#1) : (i32, f32, f32) -> ()
