package dev.groundwork.engine.dist;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.engine.tensor.DType;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.engine.tensor.Tensor;

import java.util.Arrays;

/**
 * One rank of {@link MpiCommunicatorTest}, started by mpirun. Each rank draws its inputs from a
 * generator seeded with its rank, so every rank can compute every other rank's inputs and hence the
 * expected results (sums in double) without any collective. Prints "OK rank r" or the first
 * mismatch, and exits non-zero on a mismatch.
 *
 * <p>Scenarios: {@code check} (every collective), {@code stall} (rank 1 sleeps while rank 0 waits in
 * an all-reduce with a 2 s timeout), {@code die} (rank 1 halts before the collective).
 */
public final class CollectivesMain {
    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        MpiCommunicator c = MpiCommunicator.world(scenario.equals("check") ? 60 : 2);
        int r = c.rank(), p = c.size();
        try {
            switch (scenario) {
                case "check" -> check(c);
                case "stall" -> {
                    if (r == 1) Thread.sleep(60_000);
                    c.allReduce(Tensor.ones(8), ReduceOp.SUM);
                }
                case "die" -> {
                    if (r == 1) Runtime.getRuntime().halt(7);
                    c.allReduce(Tensor.ones(8), ReduceOp.SUM);
                }
                default -> throw new IllegalArgumentException(scenario);
            }
        } catch (CommunicatorException e) {
            System.out.println("FAILED " + e.getMessage());
            System.out.flush();
            c.abort(3);
            System.exit(3);
        } catch (AssertionError e) {
            System.out.println("MISMATCH rank " + r + ": " + e.getMessage());
            System.out.flush();
            c.abort(4);
            System.exit(4);
        }
        c.close();
        System.out.println("OK rank " + r + " of " + p + " via " + c.describe());
    }

    private static Tensor input(int rank, int n, DType d) {
        Tensor t = new Generator(1000 + rank).normal(DType.F32, Device.CPU, 0.5, 2.0, n);
        return d == DType.F32 ? t : d == DType.F64 ? t.to(DType.F64) : t.mul(1000).to(DType.I64);
    }

    private static void check(Communicator c) {
        int r = c.rank(), p = c.size();
        // sizes: smaller than the group, not a multiple of it, and large enough for MPI's pipelined algorithms
        for (int n : new int[]{1, 3, 1001, 20_001}) {
            for (DType d : new DType[]{DType.F32, DType.F64, DType.I64}) {
                for (ReduceOp op : d == DType.I64 ? new ReduceOp[]{ReduceOp.SUM} : ReduceOp.values()) {
                    Tensor t = input(r, n, d);
                    c.allReduce(t, op);
                    double[] want = new double[n];
                    for (int k = 0; k < p; k++) {
                        double[] x = input(k, n, d).toDoubleArray();
                        for (int i = 0; i < n; i++) want[i] += x[i];
                    }
                    if (op == ReduceOp.AVERAGE) for (int i = 0; i < n; i++) want[i] /= p;
                    close(t.toDoubleArray(), want, d == DType.F32 ? 1e-5 : 1e-12, "all-reduce " + op + " " + d + " n=" + n);
                    // identical on every rank: gather everyone's result and compare the bits
                    Tensor all = c.allGather(t.reshape(1, n));
                    double[] mine = t.toDoubleArray();
                    for (int k = 0; k < p; k++)
                        if (!Arrays.equals(all.select(0, k).toDoubleArray(), mine))
                            throw new AssertionError("all-reduce " + op + " " + d + " n=" + n + ": rank " + k + " holds other bits than rank " + r);
                }
            }
        }
        // all-gather: rows of every rank in rank order
        Tensor g = c.allGather(input(r, 12, DType.F32).reshape(3, 4));
        if (!Arrays.equals(g.shape(), new int[]{3 * p, 4})) throw new AssertionError("all-gather shape " + Arrays.toString(g.shape()));
        for (int k = 0; k < p; k++)
            if (!Arrays.equals(g.narrow(0, 3 * k, 3).contiguous().toFloatArray(), input(k, 12, DType.F32).toFloatArray()))
                throw new AssertionError("all-gather block of rank " + k);
        // reduce-scatter: the sum over ranks of this rank's block
        for (ReduceOp op : ReduceOp.values()) {
            int rows = 2 * p;
            Tensor rs = c.reduceScatter(input(r, rows * 5, DType.F32).reshape(rows, 5), op);
            double[] want = new double[10];
            for (int k = 0; k < p; k++) {
                double[] x = input(k, rows * 5, DType.F32).toDoubleArray();
                for (int i = 0; i < 10; i++) want[i] += x[r * 10 + i];
            }
            if (op == ReduceOp.AVERAGE) for (int i = 0; i < 10; i++) want[i] /= p;
            close(rs.toDoubleArray(), want, 1e-5, "reduce-scatter " + op);
        }
        // broadcast from the last rank, tensors and bytes
        Tensor b = input(r, 33, DType.F32);
        c.broadcast(b, p - 1);
        if (!Arrays.equals(b.toFloatArray(), input(p - 1, 33, DType.F32).toFloatArray())) throw new AssertionError("broadcast from rank " + (p - 1));
        byte[] bytes = c.broadcastBytes(("from rank " + r + "!").getBytes(), 0);
        if (!new String(bytes).equals("from rank 0!")) throw new AssertionError("broadcastBytes gave " + new String(bytes));
        c.barrier();
    }

    private static void close(double[] got, double[] want, double rel, String what) {
        for (int i = 0; i < want.length; i++)
            if (Math.abs(got[i] - want[i]) > rel * (1 + Math.abs(want[i])))
                throw new AssertionError(what + ": element " + i + " is " + got[i] + ", expected " + want[i]);
    }
}
