# -*- Python -*-
# lit configuration of Strata's FileCheck tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "STRATA"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py",
                   "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.strata_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
# The sanitizer build (scripts/test.sh --sanitize) passes its options on.
llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP",
                                     "ASAN_OPTIONS", "UBSAN_OPTIONS",
                                     "LSAN_OPTIONS"])
llvm_config.use_default_substitutions()

llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
# Every test compiles: the compile cache is off but in the tests of the
# cache itself (which run with `env -u STRATA_CACHE STRATA_CACHE_DIR=...`).
config.environment["STRATA_CACHE"] = "0"
tool_dirs = [config.strata_tools_dir, config.llvm_tools_dir]
tools = ["strata-compile", "strata-opt", "strata-run", "strata-translate", "mlir-opt"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

config.substitutions.append(("%strata_src_root", config.strata_src_root))
config.substitutions.append(("%strata_obj_root", config.strata_obj_root))

# Debian's interpreter, which has numpy and onnx (the first python3 on PATH
# may be another one).
config.substitutions.append(("%python", "/usr/bin/python3"))
config.substitutions.append(
    ("%expect_exit", "/usr/bin/python3 " +
     os.path.join(config.test_source_root, "Utils", "expect_exit.py")))

# valgrind, where installed, checks passes for reads of erased ops
# (`%if valgrind %{ ... %}` in a RUN line).
import shutil
# In the sanitizer build, a Python interpreter that loads the instrumented
# extension needs the ASan runtime preloaded (%preload_asan before it).
preload = ""
if config.strata_sanitize:
    import subprocess
    runtime = subprocess.run(
        [os.path.join(config.llvm_tools_dir, "clang++"),
         "-print-file-name=libclang_rt.asan-x86_64.so"],
        stdout=subprocess.PIPE, text=True).stdout.strip()
    preload = ("env LD_PRELOAD=%s ASAN_OPTIONS=detect_leaks=0:"
               "allow_user_poisoning=0" % runtime)
config.substitutions.append(("%preload_asan", preload))

# Not in the sanitizer build: valgrind cannot run ASan-instrumented tools
# (ASan watches the same memory errors there).
if shutil.which("valgrind") and not config.strata_sanitize:
    config.available_features.add("valgrind")
