// Times one ONNX model on ONNX Runtime (onnxruntime-node, CPU) and writes
// its output for checking. Usage:
//   node ort_bench.js model.onnx input.f32 d0,d1,... threads runs out.f32
// Prints one JSON line: {"times_ms": [...]}, the latency of each run.
const fs = require('fs');
const path = require('path');
const ort = require(path.join(__dirname, 'node_modules', 'onnxruntime-node'));

async function main() {
  const [model, inputFile, dims, threads, runs, outFile] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: Number(threads),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const buf = fs.readFileSync(inputFile);
  const data = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const shape = dims.split(',').map(Number);
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', data, shape)};
  let out = await session.run(feeds);  // warm-up
  const times = [];
  for (let i = 0; i < Number(runs); ++i) {
    const t0 = process.hrtime.bigint();
    out = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const result = out[session.outputNames[0]];
  fs.writeFileSync(outFile, Buffer.from(result.data.buffer, result.data.byteOffset,
                                        result.data.byteLength));
  console.log(JSON.stringify({times_ms: times}));
}
main().catch((e) => { console.error(String(e)); process.exit(1); });
