//===- RecurrentOps.cpp - ONNX RNN, GRU and LSTM to graph ops -------------===//
//
// The recurrent operators become graph ops unrolled over the sequence, which
// is static once the model's shapes are (Strata compiles for static shapes):
//
//  - the input projection of every time step is one matmul,
//    [seq * batch, input] x [input, gates * hidden], with both biases folded
//    into its epilogue;
//  - each step multiplies the hidden state by the recurrent weights
//    ([batch, hidden] x [hidden, gates * hidden]) and applies the gate
//    formula as elementwise ops, which the fusion pass turns into one kernel;
//  - constant weights are split by direction and transposed here, at import,
//    so no transpose runs per call.
//
// Unrolling keeps every step on the ordinary matmul and elementwise codegen
// (host-tuned tiles, threads, fusion) with no loop-carried tensors; its cost
// is compile time linear in the sequence length.
//
// Per-batch sequence lengths (`sequence_lens`) become masks: a step past a
// sequence's end keeps its state and writes zeros to Y. Running the reverse
// direction from the last step with such masks starts every sequence at its
// own last element, as ONNX specifies.
//
//===----------------------------------------------------------------------===//

#include "HandlerUtils.h"

#include "llvm/ADT/StringSwitch.h"

#include <cstring>

using namespace mlir;

namespace strata::onnx_import {
namespace {

using namespace strata::graph;

enum class Cell { RNN, GRU, LSTM };

/// The longest sequence unrolled: compile time grows with every step, and
/// a longer one would compile for minutes (a loop over time is the way
/// past this).
constexpr int64_t kMaxUnrolledSteps = 1024;

/// Gate blocks in the weights of each cell, in ONNX order: RNN [i],
/// GRU [z, r, h], LSTM [i, o, f, c].
int64_t gateCount(Cell cell) {
  switch (cell) {
  case Cell::RNN:
    return 1;
  case Cell::GRU:
    return 3;
  case Cell::LSTM:
    return 4;
  }
  return 1;
}

/// One activation function of the `activations` attribute.
struct Activation {
  std::string name;
  double alpha = 0, beta = 0;
};

bool needsAlpha(StringRef f) {
  return llvm::is_contained({"affine", "leakyrelu", "thresholdedrelu",
                             "scaledtanh", "hardsigmoid", "elu"},
                            f);
}
bool needsBeta(StringRef f) {
  return llvm::is_contained({"affine", "scaledtanh", "hardsigmoid"}, f);
}

/// The activations of every direction (f, g, h for LSTM), with the
/// `activation_alpha`/`activation_beta` values consumed in order by the
/// functions that take them, and ONNX's operator defaults for the others.
FailureOr<SmallVector<Activation>> parseActivations(NodeContext &n, Cell cell,
                                                    int64_t directions) {
  static const char *const kDefaults[3][3] = {
      {"tanh"}, {"sigmoid", "tanh"}, {"sigmoid", "tanh", "tanh"}};
  int64_t perDirection = cell == Cell::RNN ? 1 : cell == Cell::GRU ? 2 : 3;
  SmallVector<std::string> names;
  if (const onnx::AttributeProto *a = n.attr("activations")) {
    for (const std::string &s : a->strings())
      names.push_back(StringRef(s).lower());
    // A bidirectional node may give one set for both directions.
    if (directions == 2 && int64_t(names.size()) == perDirection)
      names.append(SmallVector<std::string>(names));
    if (int64_t(names.size()) != perDirection * directions) {
      (void)n.fail("activations lists " + Twine(names.size()) + " functions; " +
                   n.node.op_type() + " with " + Twine(directions) +
                   " direction(s) takes " + Twine(perDirection * directions));
      return failure();
    }
  } else {
    for (int64_t d = 0; d < directions; ++d)
      for (int64_t i = 0; i < perDirection; ++i)
        names.push_back(kDefaults[perDirection - 1][i]);
  }
  SmallVector<float> alphas, betas;
  if (const onnx::AttributeProto *a = n.attr("activation_alpha"))
    alphas.assign(a->floats().begin(), a->floats().end());
  if (const onnx::AttributeProto *a = n.attr("activation_beta"))
    betas.assign(a->floats().begin(), a->floats().end());
  size_t nextAlpha = 0, nextBeta = 0;
  SmallVector<Activation> result;
  for (const std::string &name : names) {
    Activation act{name};
    // ONNX's defaults for the operators of the same name.
    std::tie(act.alpha, act.beta) =
        llvm::StringSwitch<std::pair<double, double>>(name)
            .Case("leakyrelu", {0.01, 0})
            .Case("hardsigmoid", {0.2, 0.5})
            .Case("affine", {1, 0})
            .Default({1, 1});
    if (!llvm::is_contained({"relu", "tanh", "sigmoid", "affine", "leakyrelu",
                             "thresholdedrelu", "scaledtanh", "hardsigmoid",
                             "elu", "softsign", "softplus"},
                            StringRef(name))) {
      (void)n.fail("activation '" + name +
                   "' is not one of the functions ONNX allows in " +
                   n.node.op_type());
      return failure();
    }
    if (needsAlpha(name) && nextAlpha < alphas.size())
      act.alpha = alphas[nextAlpha++];
    if (needsBeta(name) && nextBeta < betas.size())
      act.beta = betas[nextBeta++];
    result.push_back(act);
  }
  return result;
}

/// Builds one recurrent node: its shapes, weights and the unrolled steps.
class Recurrence {
public:
  Recurrence(NodeContext &n, Cell cell) : n(n), e(n), cell(cell) {}

  LogicalResult build();

private:
  // Shorthands over `e` (whose element type is the model's float type).
  Value slice(Value v, int64_t dim, int64_t begin, int64_t end) {
    if (e.failed)
      return nullptr;
    ArrayRef<int64_t> shape = typeOf(v).getShape();
    if (begin == 0 && end == shape[dim])
      return v;
    SmallVector<int64_t> starts(shape.size(), 0), ends(shape),
        steps(shape.size(), 1);
    starts[dim] = begin;
    ends[dim] = end;
    return e.op<SliceOp>(v, starts, ends, steps);
  }
  /// Block `i` of `size` along the last dimension.
  Value block(Value v, int64_t i, int64_t size) {
    int64_t last = v ? typeOf(v).getRank() - 1 : 0;
    return slice(v, last, i * size, (i + 1) * size);
  }
  /// Row `i` of dimension 0, without that dimension.
  Value row(Value v, int64_t i) {
    Value s = slice(v, 0, i, i + 1);
    return e.op<SqueezeOp>(s, ArrayRef<int64_t>{0});
  }
  Value add(Value a, Value b) { return e.op<AddOp>(a, b); }
  Value mul(Value a, Value b) { return e.op<MulOp>(a, b); }
  Value activate(const Activation &f, Value x);
  Value clipped(Value x) {
    if (!clip)
      return x;
    return e.op<MinOp>(e.op<MaxOp>(x, e.c(-*clip)), e.c(*clip));
  }

  LogicalResult checkShapes();
  /// Matrix `d` of a [directions, rows, cols] weight, transposed to
  /// [cols, rows]: at import if the weight is constant.
  Value transposedWeight(size_t input, int64_t d);
  /// The bias added to direction `d`'s input projection: Wb + Rb, except
  /// GRU's Rb[h] when it applies before the reset gate (linear_before_reset).
  Value projectionBias(int64_t d);
  /// Runs direction `d` over the sequence; returns its Y ([seq, 1, batch,
  /// hidden]) and sets its final states.
  Value direction(int64_t d, Value &finalH, Value &finalC);

  NodeContext &n;
  Expr e;
  Cell cell;
  int64_t seq = 0, batch = 0, inputSize = 0, hidden = 0, directions = 1;
  int64_t gates = 1;
  bool reverseOnly = false, batchFirst = false, linearBeforeReset = false,
       inputForget = false;
  std::optional<double> clip;
  SmallVector<Activation> activations;
  Value x;    // [seq, batch, input]
  Value lens; // [batch], or null if every sequence is full
  // The given initial states as [directions, batch, hidden], or null.
  Value initialH, initialC;
};

Value Recurrence::activate(const Activation &f, Value v) {
  double a = f.alpha, b = f.beta;
  StringRef name = f.name;
  if (name == "tanh")
    return e.op<TanhOp>(v);
  if (name == "sigmoid")
    return e.op<SigmoidOp>(v);
  if (name == "relu")
    return e.op<ReluOp>(v);
  if (name == "affine")
    return add(mul(v, e.c(a)), e.c(b));
  if (name == "leakyrelu")
    return e.select(e.cmp(ComparePredicate::lt, v, e.c(0)), mul(v, e.c(a)), v);
  if (name == "thresholdedrelu")
    return e.select(e.cmp(ComparePredicate::gt, v, e.c(a)), v, e.c(0));
  if (name == "scaledtanh")
    return mul(e.op<TanhOp>(mul(v, e.c(b))), e.c(a));
  if (name == "hardsigmoid")
    return e.op<MinOp>(e.op<MaxOp>(add(mul(v, e.c(a)), e.c(b)), e.c(0)),
                       e.c(1));
  if (name == "elu")
    return e.select(e.cmp(ComparePredicate::lt, v, e.c(0)),
                    mul(e.op<SubOp>(e.op<ExpOp>(v), e.c(1)), e.c(a)), v);
  if (name == "softsign")
    return e.op<DivOp>(v, add(e.op<AbsOp>(v), e.c(1)));
  // softplus: log(1 + exp(x)), written to not overflow for large x.
  Value positive = e.op<ReluOp>(v);
  Value rest =
      e.op<LogOp>(add(e.op<ExpOp>(e.op<NegOp>(e.op<AbsOp>(v))), e.c(1)));
  return add(positive, rest);
}

LogicalResult Recurrence::checkShapes() {
  StringRef op = n.node.op_type();
  RankedTensorType xt = typeOf(x);
  if (xt.getRank() != 3)
    return n.fail("X must have rank 3 ([seq_length, batch_size, input_size]"
                  ", or batch first with layout = 1), not " +
                  Twine(xt.getRank()));
  if (!isa<FloatType>(xt.getElementType()))
    return n.fail(op + " takes float tensors");
  seq = xt.getDimSize(0);
  batch = xt.getDimSize(1);
  inputSize = xt.getDimSize(2);
  if (seq < 1)
    return n.fail("X has an empty sequence (seq_length 0)");
  if (seq > kMaxUnrolledSteps)
    return n.fail("the sequence has " + Twine(seq) +
                  " steps; recurrent layers are unrolled, and sequences "
                  "longer than " +
                  Twine(kMaxUnrolledSteps) + " steps are not supported");
  auto expect = [&](size_t i, StringRef name, ArrayRef<int64_t> shape,
                    StringRef dims) -> LogicalResult {
    if (!n.hasInput(i))
      return success();
    Value v = n.input(i);
    if (!v)
      return failure();
    if (typeOf(v).getShape() != shape)
      return n.fail(name + " (input #" + Twine(i) + ") must have shape " +
                    shape::formatShape(shape) + " (" + dims + "), not " +
                    shape::formatShape(typeOf(v).getShape()));
    return success();
  };
  Value r = n.input(2);
  if (!r || !n.input(1))
    return failure();
  int64_t g = gates;
  if (n.attr("hidden_size")) {
    hidden = n.attrInt("hidden_size", 0);
    if (hidden < 1)
      return n.fail("hidden_size must be positive, not " + Twine(hidden));
  } else {
    hidden = typeOf(r).getRank() == 3 ? typeOf(r).getDimSize(2) : 0;
  }
  std::string gateRows =
      g == 1 ? "hidden_size" : Twine(g).concat(" * hidden_size").str();
  if (failed(expect(1, "W", {directions, g * hidden, inputSize},
                    "[num_directions, " + gateRows + ", input_size]")) ||
      failed(expect(2, "R", {directions, g * hidden, hidden},
                    "[num_directions, " + gateRows + ", hidden_size]")) ||
      failed(expect(3, "B", {directions, 2 * g * hidden},
                    "[num_directions, 2 * " + gateRows + "]")))
    return failure();
  if (n.hasInput(4)) {
    lens = n.input(4);
    if (!lens)
      return failure();
    if (typeOf(lens).getShape() != ArrayRef<int64_t>{batch} ||
        !isa<IntegerType>(typeOf(lens).getElementType()))
      return n.fail("sequence_lens (input #4) must be integers of shape [" +
                    Twine(batch) + "]");
    // Lengths known to be full need no masks; known ones out of range are
    // the model's error.
    if (const ConstantData *known = n.constantInput(4)) {
      std::vector<int64_t> values = known->asInts();
      for (int64_t len : values)
        if (len < 0 || len > seq)
          return n.fail("sequence_lens has " + Twine(len) + ", outside [0, " +
                        Twine(seq) + "]");
      if (llvm::all_of(values, [&](int64_t len) { return len == seq; }))
        lens = nullptr;
    }
  }
  SmallVector<int64_t, 3> stateShape = {directions, batch, hidden};
  if (batchFirst)
    stateShape = {batch, directions, hidden};
  StringRef stateDims = batchFirst
                            ? "[batch_size, num_directions, hidden_size]"
                            : "[num_directions, batch_size, hidden_size]";
  if (failed(expect(5, "initial_h", stateShape, stateDims)))
    return failure();
  if (cell == Cell::LSTM &&
      (failed(expect(6, "initial_c", stateShape, stateDims)) ||
       failed(expect(7, "P", {directions, 3 * hidden},
                     "[num_directions, 3 * hidden_size]"))))
    return failure();
  return success();
}

Value Recurrence::transposedWeight(size_t input, int64_t d) {
  if (const ConstantData *c = n.constantInput(input)) {
    // Matrix d of the [directions, rows, cols] constant, transposed.
    ConstantData m;
    m.elementType = c->elementType;
    m.shape = {c->shape[1], c->shape[2]};
    size_t bytes = c->bytes.size() / c->shape[0];
    m.bytes.assign(c->bytes.begin() + d * bytes,
                   c->bytes.begin() + (d + 1) * bytes);
    std::optional<ConstantData> t = transposeConstant(m);
    return n.importer.materialize(
        *t, n.node.input(input) + ".T" + (d ? ".reverse" : ""), n.b, n.loc);
  }
  return e.op<TransposeOp>(row(n.input(input), d), ArrayRef<int64_t>{1, 0});
}

Value Recurrence::projectionBias(int64_t d) {
  if (!n.hasInput(3))
    return nullptr;
  Value b = row(n.input(3), d);
  int64_t width = gates * hidden;
  Value wb = slice(b, 0, 0, width), rb = slice(b, 0, width, 2 * width);
  if (cell == Cell::GRU && linearBeforeReset)
    return e.op<ConcatOp>(ValueRange{add(slice(wb, 0, 0, 2 * hidden),
                                         slice(rb, 0, 0, 2 * hidden)),
                                     slice(wb, 0, 2 * hidden, width)},
                          0);
  return add(wb, rb);
}

Value Recurrence::direction(int64_t d, Value &finalH, Value &finalC) {
  bool reverse = reverseOnly || d == 1;
  int64_t g = gates * hidden;
  ArrayRef<Activation> fns = ArrayRef<Activation>(activations)
                                 .slice(d * (activations.size() / directions),
                                        activations.size() / directions);
  // All steps' input projections in one matmul.
  Value flat = e.op<ReshapeOp>(x, ArrayRef<int64_t>{seq * batch, inputSize});
  Value proj = e.op<MatmulOp>(flat, transposedWeight(1, d));
  if (Value bias = projectionBias(d))
    proj = add(proj, bias);
  proj = e.op<ReshapeOp>(proj, ArrayRef<int64_t>{seq, batch, g});
  Value rt = transposedWeight(2, d); // [hidden, gates * hidden]
  // GRU applies the reset gate before R[h] unless linear_before_reset.
  Value rzr, rh, rbh;
  if (cell == Cell::GRU) {
    rzr = slice(rt, 1, 0, 2 * hidden);
    rh = slice(rt, 1, 2 * hidden, g);
    if (linearBeforeReset && n.hasInput(3))
      rbh = slice(row(n.input(3), d), 0, g + 2 * hidden, 2 * g);
  }
  auto state = [&](Value initial) -> Value {
    if (!initial)
      return e.op<BroadcastToOp>(e.c(0), ArrayRef<int64_t>{batch, hidden});
    return row(initial, d);
  };
  Value h = state(initialH);
  Value c = cell == Cell::LSTM ? state(initialC) : Value();
  Value pi, po, pf;
  if (cell == Cell::LSTM && n.hasInput(7)) {
    Value p = row(n.input(7), d);
    pi = block(p, 0, hidden);
    po = block(p, 1, hidden);
    pf = block(p, 2, hidden);
  }
  Type lensType = lens ? typeOf(lens).getElementType() : Type();
  SmallVector<Value> ys(seq);
  for (int64_t step = 0; step < seq && !e.failed; ++step) {
    int64_t t = reverse ? seq - 1 - step : step;
    Value xt = row(proj, t); // [batch, gates * hidden]
    Value newH, newC;
    switch (cell) {
    case Cell::RNN:
      newH = activate(fns[0], clipped(add(xt, e.op<MatmulOp>(h, rt))));
      break;
    case Cell::GRU: {
      Value z, r, candidate;
      if (linearBeforeReset) {
        Value hr = e.op<MatmulOp>(h, rt);
        z = activate(fns[0],
                     clipped(add(block(xt, 0, hidden), block(hr, 0, hidden))));
        r = activate(fns[0],
                     clipped(add(block(xt, 1, hidden), block(hr, 1, hidden))));
        Value hh = block(hr, 2, hidden);
        if (rbh)
          hh = add(hh, rbh);
        candidate =
            activate(fns[1], clipped(add(block(xt, 2, hidden), mul(r, hh))));
      } else {
        Value zr = add(slice(xt, 1, 0, 2 * hidden), e.op<MatmulOp>(h, rzr));
        z = activate(fns[0], clipped(block(zr, 0, hidden)));
        r = activate(fns[0], clipped(block(zr, 1, hidden)));
        candidate = activate(
            fns[1],
            clipped(add(block(xt, 2, hidden), e.op<MatmulOp>(mul(r, h), rh))));
      }
      // (1 - z) * candidate + z * h = candidate + z * (h - candidate).
      newH = add(candidate, mul(z, e.op<SubOp>(h, candidate)));
      break;
    }
    case Cell::LSTM: {
      Value gatesAt = add(xt, e.op<MatmulOp>(h, rt));
      Value iIn = block(gatesAt, 0, hidden), oIn = block(gatesAt, 1, hidden),
            fIn = block(gatesAt, 2, hidden), cIn = block(gatesAt, 3, hidden);
      if (pi) {
        iIn = add(iIn, mul(pi, c));
        fIn = add(fIn, mul(pf, c));
      }
      Value i = activate(fns[0], clipped(iIn));
      Value f =
          inputForget ? e.op<SubOp>(e.c(1), i) : activate(fns[0], clipped(fIn));
      Value candidate = activate(fns[1], clipped(cIn));
      newC = add(mul(f, c), mul(i, candidate));
      if (po)
        oIn = add(oIn, mul(po, newC));
      Value o = activate(fns[0], clipped(oIn));
      newH = mul(o, activate(fns[2], newC));
      break;
    }
    }
    Value y = newH;
    if (lens) {
      // Steps past a sequence's end keep its state and output zeros.
      Value live = e.op<ExpandDimsOp>(
          e.cmp(ComparePredicate::lt, n.scalar(lensType, double(t)), lens),
          ArrayRef<int64_t>{1});
      y = e.select(live, newH, e.c(0));
      newH = e.select(live, newH, h);
      if (newC)
        newC = e.select(live, newC, c);
    }
    h = newH;
    c = newC;
    ys[t] = e.op<ExpandDimsOp>(y, ArrayRef<int64_t>{0, 1});
  }
  finalH = h;
  finalC = c;
  if (e.failed)
    return nullptr;
  return e.op<ConcatOp>(ValueRange(ys), 0);
}

LogicalResult Recurrence::build() {
  gates = gateCount(cell);
  x = n.input(0);
  if (!x)
    return failure();
  e.setType(typeOf(x).getElementType());
  std::string dir = n.attrString("direction", "forward");
  if (dir == "bidirectional")
    directions = 2;
  else if (dir == "reverse")
    reverseOnly = true;
  else if (dir != "forward")
    return n.fail("direction must be forward, reverse or bidirectional, not '" +
                  dir + "'");
  int64_t layout = n.attrInt("layout", 0);
  if (layout != 0 && layout != 1)
    return n.fail("layout must be 0 or 1, not " + Twine(layout));
  batchFirst = layout == 1;
  linearBeforeReset = n.attrInt("linear_before_reset", 0) != 0;
  inputForget = n.attrInt("input_forget", 0) != 0;
  if (n.attr("clip")) {
    clip = n.attrFloat("clip", 0);
    if (!(*clip > 0))
      return n.fail("clip must be positive");
  }
  if (batchFirst) {
    x = e.op<TransposeOp>(x, ArrayRef<int64_t>{1, 0, 2});
    if (e.failed)
      return failure();
  }
  if (failed(checkShapes()))
    return failure();
  // Batch-first states are [batch, directions, hidden]: transposed once
  // for all directions.
  auto initialState = [&](size_t input) -> Value {
    if (!n.hasInput(input))
      return nullptr;
    Value v = n.input(input);
    return batchFirst ? e.op<TransposeOp>(v, ArrayRef<int64_t>{1, 0, 2}) : v;
  };
  initialH = initialState(5);
  if (cell == Cell::LSTM)
    initialC = initialState(6);
  if (e.failed)
    return failure();
  FailureOr<SmallVector<Activation>> acts =
      parseActivations(n, cell, directions);
  if (failed(acts))
    return failure();
  activations = std::move(*acts);

  SmallVector<Value> ys, hs, cs;
  for (int64_t d = 0; d < directions && !e.failed; ++d) {
    Value h, c;
    ys.push_back(direction(d, h, c));
    hs.push_back(e.op<ExpandDimsOp>(h, ArrayRef<int64_t>{0}));
    if (c)
      cs.push_back(e.op<ExpandDimsOp>(c, ArrayRef<int64_t>{0}));
  }
  if (e.failed)
    return failure();
  // Y [seq, directions, batch, hidden]; Y_h and Y_c [directions, batch,
  // hidden]; batch first with layout 1.
  Value y = e.op<ConcatOp>(ValueRange(ys), 1);
  Value yh = e.op<ConcatOp>(ValueRange(hs), 0);
  Value yc = cs.empty() ? Value() : e.op<ConcatOp>(ValueRange(cs), 0);
  if (batchFirst) {
    y = e.op<TransposeOp>(y, ArrayRef<int64_t>{2, 0, 1, 3});
    yh = e.op<TransposeOp>(yh, ArrayRef<int64_t>{1, 0, 2});
    if (yc)
      yc = e.op<TransposeOp>(yc, ArrayRef<int64_t>{1, 0, 2});
  }
  if (e.failed)
    return failure();
  n.setOutput(0, y);
  n.setOutput(1, yh);
  if (yc)
    n.setOutput(2, yc);
  return success();
}

template <Cell C> LogicalResult recurrent(NodeContext &n) {
  return Recurrence(n, C).build();
}

} // namespace

void addRecurrentHandlers(llvm::StringMap<Handler> &h) {
  h["RNN"] = recurrent<Cell::RNN>;
  h["GRU"] = recurrent<Cell::GRU>;
  h["LSTM"] = recurrent<Cell::LSTM>;
}

} // namespace strata::onnx_import
