//===- VersionConverter.cpp - Upgrade old ONNX opsets ---------------------===//
//
// Wraps ONNX's version converter, which reports failures by throwing: this
// file alone is compiled with exceptions, and none escape it. The converter
// assumes a valid model (it dereferences undefined names), so ONNX's checker
// runs first.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <onnx/checker.h>
#include <onnx/version_converter/convert.h>

#include <exception>

using namespace mlir;

namespace strata::onnx_import {

std::optional<onnx::ModelProto> upgradeOpset(const onnx::ModelProto &model,
                                             int64_t targetOpset,
                                             std::string &error) {
  try {
    onnx::checker::check_model(model);
    return onnx::version_conversion::ConvertVersion(
        model, static_cast<int>(targetOpset));
  } catch (const std::exception &e) {
    error = e.what();
  } catch (...) {
    error = "unknown error";
  }
  return std::nullopt;
}

} // namespace strata::onnx_import
