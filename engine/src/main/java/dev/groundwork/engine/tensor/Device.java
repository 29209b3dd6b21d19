package dev.groundwork.engine.tensor;

import java.util.Locale;

/**
 * Where a tensor's storage lives. The engine names devices but implements only the CPU; other
 * device types are provided by backends registered through {@link dev.groundwork.engine.backend.Backends}.
 */
public record Device(Type type, int index) {
    public enum Type { CPU, CUDA }

    public static final Device CPU = new Device(Type.CPU, 0);

    public Device {
        if (index < 0) throw new IllegalArgumentException("device index must be >= 0, got " + index);
    }

    public static Device cuda(int index) { return new Device(Type.CUDA, index); }

    /** Parses "cpu", "cuda", "cuda:1". */
    public static Device parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("cpu")) return CPU;
        if (t.equals("cuda")) return cuda(0);
        if (t.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(t.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad device '" + s + "': expected cpu, cuda or cuda:N");
            }
        }
        throw new IllegalArgumentException("bad device '" + s + "': expected cpu, cuda or cuda:N");
    }

    @Override
    public String toString() {
        return type == Type.CPU ? "cpu" : "cuda:" + index;
    }
}
