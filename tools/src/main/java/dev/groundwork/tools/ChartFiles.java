package dev.groundwork.tools;

import dev.groundwork.engine.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.nio.file.Path;

/** Writes XChart charts as PNG files for {@code gw plot} and {@code gw eval semantic}. */
final class ChartFiles {
    private ChartFiles() {}

    /** Encodes in memory, then writes atomically, so a failed draw never leaves a truncated PNG behind. */
    static void save(Chart<?, ?> chart, Path png) throws IOException {
        AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
