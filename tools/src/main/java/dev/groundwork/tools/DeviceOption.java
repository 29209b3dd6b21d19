package dev.groundwork.tools;

import dev.groundwork.engine.settings.Settings;
import dev.groundwork.engine.tensor.Device;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --device}: where a command's model runs; absent, {@code GW_DEVICE} decides (through {@link Settings}), else the CPU. */
final class DeviceOption {
    @Spec(Spec.Target.MIXEE) CommandSpec command;

    @Option(names = "--device", paramLabel = "DEV", description = "cpu, cuda or cuda:N (default: $GW_DEVICE, else cpu)")
    String device;

    /** The device asked for; a value that names none is a usage error naming the flag. */
    Device resolve() {
        if (device == null) return Settings.current().device();
        try {
            return Device.parse(device);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "--device must be cpu, cuda or cuda:N, got '" + device + "'");
        }
    }
}
