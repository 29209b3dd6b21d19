package dev.groundwork.engine.io;

import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tensors to and from safetensors files. Loading maps F32/F16/BF16/F8 to F32 tensors, F64 to F64 and
 * every integer or bool type to I64; saving writes each tensor in its own dtype, row-major.
 */
public final class TensorFiles {
    private TensorFiles() {}

    public record Loaded(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    public static Map<String, Tensor> load(Path path) throws IOException { return loadWithMetadata(path).tensors(); }

    public static Loaded loadWithMetadata(Path path) throws IOException {
        try (SafeTensorsFile f = SafeTensorsFile.open(path)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String name : f.names()) {
                TensorEntry e = f.entry(name);
                int[] shape = new int[e.shape().length];
                for (int i = 0; i < shape.length; i++) {
                    if (e.shape()[i] > Integer.MAX_VALUE) throw new SafeTensorsException(path + ": tensor '" + name + "': dimension " + e.shape()[i] + " is too large for an engine tensor");
                    shape[i] = (int) e.shape()[i];
                }
                SafeDType dt = e.dtypeEnum();
                Tensor t = dt == SafeDType.F64 ? Tensor.of(f.readF64(name), shape)
                        : dt.isFloating() ? Tensor.of(f.readF32(name), shape)
                        : Tensor.ofLongs(f.readI64(name), shape);
                out.put(name, t);
            }
            return new Loaded(out, f.metadata());
        }
    }

    public static void save(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        save(path, tensors, metadata, false);
    }

    /**
     * As {@link #save(Path, Map, Map)}; with {@code finiteOnly} every floating value is checked as it
     * is downloaded, and the first NaN or infinity throws {@link NonFiniteTensorException} before the
     * file (or a temp file) is touched.
     */
    public static void save(Path path, Map<String, Tensor> tensors, Map<String, String> metadata, boolean finiteOnly) throws IOException {
        SafeTensorsWriter w = new SafeTensorsWriter();
        metadata.forEach(w::putMetadata);
        for (var e : tensors.entrySet()) {
            Tensor t = e.getValue().detach().to(Device.CPU);
            long[] shape = new long[t.dim()];
            for (int i = 0; i < shape.length; i++) shape[i] = t.size(i);
            switch (t.dtype()) {
                case F32 -> w.putF32(e.getKey(), shape, finiteOnly ? finite(e.getKey(), t.toFloatArray()) : t.toFloatArray());
                case F64 -> w.putF64(e.getKey(), shape, finiteOnly ? finite(e.getKey(), t.toDoubleArray()) : t.toDoubleArray());
                case I64 -> w.putI64(e.getKey(), shape, t.toLongArray());
                case I32 -> w.putI32(e.getKey(), shape, (int[]) t.backend().download(t));
            }
        }
        w.write(path);
    }

    public static void save(Path path, Map<String, Tensor> tensors) throws IOException { save(path, tensors, Map.of()); }

    private static float[] finite(String name, float[] v) throws NonFiniteTensorException {
        for (int i = 0; i < v.length; i++) if (!Float.isFinite(v[i])) throw new NonFiniteTensorException(name, i, v[i]);
        return v;
    }

    private static double[] finite(String name, double[] v) throws NonFiniteTensorException {
        for (int i = 0; i < v.length; i++) if (!Double.isFinite(v[i])) throw new NonFiniteTensorException(name, i, v[i]);
        return v;
    }

}
