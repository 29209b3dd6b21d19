"""Makes the .npy fixtures of NpyReaderTest with numpy (2.x); run from this folder. Not run by the build."""
import numpy as np
from numpy.lib import format as fmt

np.save('words_U7.npy', np.array(['zebra', 'café', 'striped', 'a', '日本'], dtype='<U7'))
np.save('concreteness_f8.npy', np.array([1.5, 2.25, -3.0, 4.875], dtype='<f8'))
np.save('index_i8.npy', np.array([-1, 0, 37054, 2**40], dtype='<i8'))
np.save('matrix_f4.npy', np.arange(12, dtype='<f4').reshape(3, 4) / 4)
np.save('matrix_be_f4.npy', (np.arange(6, dtype='>f4').reshape(2, 3) - 2.5))
np.save('ints_i4.npy', np.array([[1, -2], [3, 4]], dtype='<i4'))
np.save('scalar_f8.npy', np.array(7.5))
np.save('objects.npy', np.array(['a', 1, None], dtype=object), allow_pickle=True)
np.save('complex_c16.npy', np.array([1 + 2j]))
np.save('fortran_f8.npy', np.asfortranarray(np.arange(6, dtype='<f8').reshape(2, 3)))
np.save('bool_b1.npy', np.array([True, False]))
np.save('structured.npy', np.zeros(2, dtype=[('a', '<f4'), ('b', '<i8')]))
with open('words_v2.npy', 'wb') as f:
    fmt.write_array(f, np.array(['x', 'yz']), version=(2, 0))
good = open('concreteness_f8.npy', 'rb').read()
open('truncated_f8.npy', 'wb').write(good[:-3])
open('trailing_f8.npy', 'wb').write(good + b'\0' * 8)
