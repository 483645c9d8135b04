# Writes the .npy files of bad-npy.mlir: numpy's format, with one thing
# wrong in each file.
import sys

import numpy as np

out = sys.argv[1]
data = np.arange(1, 7, dtype=np.float32).tobytes()


def npy(name, header, payload=data):
    header = header.encode()
    pad = (64 - (10 + len(header) + 1) % 64) % 64
    header += b" " * pad + b"\n"
    with open("%s/%s.npy" % (out, name), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little"))
        f.write(header + payload)


npy("good", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")
npy("junk", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
    data + b"\0\0\0\0")
npy("shape", "{'descr': '<f4', 'fortran_order': False, 'shape': (2x, 3), }")
npy("fortran", "{'descr': '<f4', 'fortran_order': false, 'shape': (2, 3), }")
npy("huge", "{'descr': '<f4', 'fortran_order': False, "
    "'shape': (1099511627776, 1099511627776), }")
# A header that claims far more data than the file has (read before any
# memory is taken for it).
npy("claims", "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }")
# numpy itself reads the good file.
assert (np.load(out + "/good.npy") == np.arange(1, 7).reshape(2, 3)).all()
