package dev.groundwork.models.train;

import dev.groundwork.engine.backend.Backends;
import dev.groundwork.engine.dist.CommunicatorException;
import dev.groundwork.engine.dist.MpiCommunicator;
import dev.groundwork.engine.settings.Settings;
import dev.groundwork.engine.tensor.Device;
import dev.groundwork.kernels.cuda.CudaDevice;
import dev.groundwork.kernels.nccl.NcclCommunicator;

import java.util.Optional;

/**
 * Which data-parallel group this process belongs to, read from how it was started, and the
 * communicator that joins it:
 * <ul>
 *   <li>{@code mpirun -np N ...}: rank, size and local rank from Open MPI's environment
 *   ({@code OMPI_COMM_WORLD_RANK}, {@code _SIZE}, {@code _LOCAL_RANK}); MPI carries the collectives on
 *   the CPU, and on GPUs it bootstraps NCCL (broadcasting rank 0's unique id).</li>
 *   <li>{@code gw launch}: {@code GW_RANK}, {@code GW_WORLD_SIZE}, {@code GW_LOCAL_RANK} and
 *   {@code GW_RENDEZVOUS}; GPUs only, NCCL's unique id passed through a file there.</li>
 *   <li>neither: one process.</li>
 * </ul>
 * Each process of a multi-process run takes the GPU of its local rank.
 */
public final class ProcessGroup {
    private ProcessGroup() {}

    public enum Launcher { NONE, MPIRUN, GW_LAUNCH }

    public record World(Launcher launcher, int rank, int size, int localRank) {
        public boolean distributed() { return size > 1; }
    }

    /** How this process was started. */
    public static World detect() {
        Optional<Integer> size = intEnv("OMPI_COMM_WORLD_SIZE");
        if (size.isPresent())
            return new World(Launcher.MPIRUN, intEnv("OMPI_COMM_WORLD_RANK").orElse(0), size.get(), intEnv("OMPI_COMM_WORLD_LOCAL_RANK").orElse(0));
        Optional<int[]> gw = Settings.current().launchedRank();
        if (gw.isPresent()) return new World(Launcher.GW_LAUNCH, gw.get()[0], gw.get()[1], gw.get()[2]);
        return new World(Launcher.NONE, 0, 1, 0);
    }

    /** The device of this rank: on CUDA, the GPU of its local rank when several processes share a node. */
    public static Device device(World w, Device requested) {
        if (!w.distributed() || requested.equals(Device.CPU)) return requested;
        return Device.cuda(w.localRank());
    }

    /** Joins the group (a no-op group of one when not launched as several processes). */
    public static DataParallel open(World w, Device device) {
        if (!w.distributed()) return DataParallel.none();
        boolean gpu = !device.equals(Device.CPU);
        return switch (w.launcher()) {
            case MPIRUN -> {
                MpiCommunicator mpi = MpiCommunicator.world();
                // On the CPU the gradient all-reduces overlap the backward pass (DataParallel says why not yet on GPUs).
                yield gpu ? new DataParallel(NcclCommunicator.overBootstrap(mpi, cuda(device))) : DataParallel.overlapping(mpi);
            }
            case GW_LAUNCH -> {
                if (!gpu) throw new CommunicatorException("rank " + w.rank() + ": gw launch starts GPU processes joined by NCCL;"
                        + " data-parallel runs on the CPU use Open MPI: mpirun -np N ./gw ...");
                var file = Settings.current().rendezvous().orElseThrow(() -> new CommunicatorException(
                        "rank " + w.rank() + ": GW_WORLD_SIZE is set but GW_RENDEZVOUS is not (start the processes with gw launch)"));
                yield new DataParallel(NcclCommunicator.overFile(file, w.rank(), w.size(), cuda(device)));
            }
            case NONE -> DataParallel.none();
        };
    }

    private static CudaDevice cuda(Device d) {
        if (!(Backends.of(d) instanceof CudaDevice c)) throw new CommunicatorException(d + " is not served by the CUDA backend");
        return c;
    }

    private static Optional<Integer> intEnv(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) return Optional.empty();
        try {
            return Optional.of(Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new CommunicatorException(name + "='" + v + "' is not an integer (set by mpirun)");
        }
    }
}
