// A small CNN classifier in the graph dialect: conv + batch_norm + relu,
// max pooling, a residual add, global pooling, a linear layer and softmax.
// Weights are small splat and dense constants so that the file stays short.
func.func @small_cnn(%image: tensor<1x3x16x16xf32>) -> tensor<1x10xf32> {
  %w1 = graph.constant dense<0.05> : tensor<8x3x3x3xf32>
  %b1 = graph.constant dense<0.1> : tensor<8xf32>
  %conv1 = graph.conv2d %image, %w1, %b1 {pads = array<i64: 1, 1, 1, 1>}
           : tensor<1x3x16x16xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>

  %gamma = graph.constant dense<[1.0, 0.5, 2.0, 1.0, 1.5, 1.0, 0.75, 1.25]> : tensor<8xf32>
  %beta = graph.constant dense<0.0> : tensor<8xf32>
  %mean = graph.constant dense<0.2> : tensor<8xf32>
  %var = graph.constant dense<4.0> : tensor<8xf32>
  %bn = graph.batch_norm %conv1, %gamma, %beta, %mean, %var
        : tensor<1x8x16x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  %act = graph.relu %bn : tensor<1x8x16x16xf32>
  %pool = graph.max_pool2d %act {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
          : tensor<1x8x16x16xf32>

  // Residual block: 3x3 conv, clip to [0, 6] (ReLU6), add the input back.
  %w2 = graph.constant dense<0.02> : tensor<8x8x3x3xf32>
  %conv2 = graph.conv2d %pool, %w2 {pads = array<i64: 1, 1, 1, 1>}
           : tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>
  %relu6 = graph.clip %conv2 min 0.0 max 6.0 : tensor<1x8x8x8xf32>
  %res = graph.add %relu6, %pool : tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>

  // Classifier head. The transposes cancel and the reshapes compose.
  %gap = graph.global_avg_pool2d %res : tensor<1x8x8x8xf32>
  %flat = graph.reshape %gap [1, 8] : tensor<1x8x1x1xf32>
  %t0 = graph.transpose %flat [1, 0] : tensor<1x8xf32>
  %t1 = graph.transpose %t0 [1, 0] : tensor<8x1xf32>
  %fc = graph.constant dense<0.125> : tensor<8x10xf32>
  %logits = graph.matmul %t1, %fc : tensor<1x8xf32>, tensor<8x10xf32>
  %zero = graph.constant dense<0.0> : tensor<10xf32>
  %biased = graph.add %logits, %zero : tensor<1x10xf32>, tensor<10xf32>
  %probs = graph.softmax %biased : tensor<1x10xf32>
  return %probs : tensor<1x10xf32>
}
