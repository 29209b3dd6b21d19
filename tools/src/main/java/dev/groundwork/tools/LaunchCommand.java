package dev.groundwork.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code gw launch}: starts the processes of one node of a data-parallel run, as {@code torchrun}
 * does, for hosts without {@code mpirun}. Each process runs the given gw command with
 * {@code GW_RANK}, {@code GW_WORLD_SIZE}, {@code GW_LOCAL_RANK} and {@code GW_RENDEZVOUS} set, and takes
 * the GPU of its local rank; the ranks join one NCCL communicator.
 *
 * <p><b>Rendezvous</b>: a file, not a server. Rank 0 writes NCCL's unique id to it (atomically) and
 * the others read it; NCCL's own bootstrap then connects them from the address inside the id, so no
 * traffic of ours crosses the network. On one node the file lives in a fresh temporary folder; on
 * several it must be on a path every node sees (a shared filesystem), given with
 * {@code --rendezvous}, and new for each run. CPU runs need a collective library for the host, which
 * is MPI: {@code mpirun -np N ./gw ...}.
 *
 * <p>If a process fails, the others are killed (they could only wait for it in their next collective)
 * and the launcher exits with the failing process's code; the run resumes from rank 0's last
 * checkpoint. A SIGINT/SIGTERM to the launcher is passed on to every process: all ranks then agree to
 * stop at the same step and rank 0 writes a resumable checkpoint, as a single-process run does.
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
        description = "Start the processes of one node of a data-parallel GPU run (NCCL), for hosts without mpirun: "
                + "gw launch --nproc-per-node N [--nnodes M --node-rank R --rendezvous FILE] train two-stream ...")
public final class LaunchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--nproc-per-node", required = true, paramLabel = "N", description = "processes (GPUs) on this node")
    int nprocPerNode;

    @Option(names = "--nnodes", defaultValue = "1", paramLabel = "M", description = "nodes of the run (default ${DEFAULT-VALUE})")
    int nnodes;

    @Option(names = "--node-rank", defaultValue = "0", paramLabel = "R", description = "this node's index, 0..M-1 (default ${DEFAULT-VALUE})")
    int nodeRank;

    @Option(names = "--rendezvous", paramLabel = "FILE",
            description = "where rank 0 leaves NCCL's unique id for the others: a new file on a path every node sees (required with --nnodes > 1;"
                    + " one node: a fresh temporary folder)")
    Path rendezvous;

    @Parameters(arity = "1..*", paramLabel = "GW-COMMAND", description = "the gw command every process runs, e.g. train two-stream --device cuda ...")
    List<String> command;

    /** One process of the node: its global rank, local rank and environment. */
    record Rank(int rank, int localRank, Map<String, String> env) {}

    /** The node's processes, checked. */
    static List<Rank> plan(int nprocPerNode, int nnodes, int nodeRank, Path rendezvous) {
        if (nprocPerNode < 1) throw new IllegalArgumentException("--nproc-per-node must be a positive integer, got " + nprocPerNode);
        if (nnodes < 1) throw new IllegalArgumentException("--nnodes must be a positive integer, got " + nnodes);
        if (nodeRank < 0 || nodeRank >= nnodes) throw new IllegalArgumentException("--node-rank must be in 0.." + (nnodes - 1) + ", got " + nodeRank);
        int world = Math.multiplyExact(nprocPerNode, nnodes);
        List<Rank> out = new ArrayList<>();
        for (int l = 0; l < nprocPerNode; l++) {
            int rank = nodeRank * nprocPerNode + l;
            out.add(new Rank(rank, l, Map.of("GW_RANK", Integer.toString(rank), "GW_WORLD_SIZE", Integer.toString(world),
                    "GW_LOCAL_RANK", Integer.toString(l), "GW_RENDEZVOUS", rendezvous.toString())));
        }
        return out;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (nnodes > 1 && rendezvous == null)
            throw new ParameterException(spec.commandLine(), "--rendezvous FILE is required with --nnodes > 1: a new file on a path every node sees");
        Path file = rendezvous != null ? rendezvous : Files.createTempDirectory("gw-launch-").resolve("nccl-unique-id");
        if (nodeRank == 0 && Files.exists(file))
            throw new ParameterException(spec.commandLine(), "--rendezvous " + file + " already exists (left by another run?): remove it or name a new file");
        List<Rank> ranks;
        try {
            ranks = plan(nprocPerNode, nnodes, nodeRank, file);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<Process> procs = new ArrayList<>();
        Thread forward = new Thread(() -> procs.forEach(Process::destroy));   // SIGTERM: each rank stops at its next step
        Runtime.getRuntime().addShutdownHook(forward);
        for (Rank r : ranks) {
            ProcessBuilder pb = new ProcessBuilder(javaCommand(command)).inheritIO();
            pb.environment().putAll(r.env());
            procs.add(pb.start());
        }
        int code = 0;
        // Wait for all; the first failure stops the others.
        boolean[] done = new boolean[procs.size()];
        for (int left = procs.size(); left > 0; ) {
            for (int i = 0; i < procs.size(); i++) {
                if (done[i] || !procs.get(i).waitFor(200, TimeUnit.MILLISECONDS)) continue;
                done[i] = true;
                left--;
                int c = procs.get(i).exitValue();
                if (c != 0 && code == 0) {
                    code = c;
                    spec.commandLine().getErr().println("gw launch: rank " + ranks.get(i).rank() + " exited with code " + c + "; stopping the other ranks");
                    spec.commandLine().getErr().flush();
                    for (int j = 0; j < procs.size(); j++) if (!done[j]) procs.get(j).destroyForcibly();
                }
            }
        }
        Runtime.getRuntime().removeShutdownHook(forward);
        return code;
    }

    /** This JVM's java, options and class path, running Gw with {@code args}. */
    private static List<String> javaCommand(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Gw.class.getName());
        cmd.addAll(args);
        return cmd;
    }
}
