//===- VersionConverter.cpp - Upgrade old ONNX opsets ---------------------===//
//
// Wraps ONNX's version converter, which reports failures by throwing: this
// file alone is compiled with exceptions, and none escape it. The converter
// assumes a valid model (it dereferences undefined names), so ONNX's checker
// runs first; its adapters need the shapes of the values they rewrite (the
// broadcast Add of opset 6), so ONNX's shape inference runs next.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>
#include <onnx/version_converter/convert.h>

#include <exception>

using namespace mlir;

namespace strata::onnx_import {

std::optional<onnx::ModelProto> upgradeOpset(const onnx::ModelProto &model,
                                             int64_t targetOpset,
                                             std::string &error) {
  try {
    onnx::checker::check_model(model);
    onnx::ModelProto inferred = model;
    onnx::shape_inference::InferShapes(inferred);
    return onnx::version_conversion::ConvertVersion(
        inferred, static_cast<int>(targetOpset));
  } catch (const std::exception &e) {
    error = e.what();
  } catch (...) {
    error = "unknown error";
  }
  return std::nullopt;
}

} // namespace strata::onnx_import
