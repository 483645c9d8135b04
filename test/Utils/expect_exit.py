"""Runs a command and succeeds only if it exits with the given code.

Usage (in RUN lines): %expect_exit CODE command args...
Prints the command's stdout and stderr so that FileCheck can read them.
"""
import subprocess
import sys

code = int(sys.argv[1])
proc = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
sys.stdout.write(proc.stdout.decode(errors="replace"))
if proc.returncode != code:
    sys.stdout.write("\nexpect_exit: exit code %d, expected %d\n" % (proc.returncode, code))
    sys.exit(1)
