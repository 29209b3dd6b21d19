package dev.groundwork.models.data;

import dev.groundwork.engine.random.Generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * torchvision-style ImageFolder for stage 1 (spec §1.6): {@code root/<split>/<class>/<image>}. Classes
 * are the sub-folders sorted by name (label = position); images are the .jpg/.jpeg/.png files of each
 * class folder (searched recursively, case-insensitive extension), sorted by path.
 */
public final class ImageFolder implements Dataset<LabeledImage> {
    private final Path dir;
    private final List<String> classes = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();
    private final ImagePipeline pipeline;

    /** {@code split} is "train" or "val". */
    public static ImageFolder open(Path root, String split, ImagePipeline pipeline) throws DataException {
        return new ImageFolder(root.resolve(split), pipeline);
    }

    public ImageFolder(Path dir, ImagePipeline pipeline) throws DataException {
        this.dir = dir;
        this.pipeline = pipeline;
        if (!Files.isDirectory(dir)) throw new DataException(-1, dir, "not a directory");
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(classes::add);
        } catch (IOException e) {
            throw new DataException(-1, dir, "cannot list: " + e.getMessage(), e);
        }
        if (classes.isEmpty()) throw new DataException(-1, dir, "no class folders");
        for (int c = 0; c < classes.size(); c++) {
            Path cd = dir.resolve(classes.get(c));
            try (Stream<Path> s = Files.walk(cd)) {
                for (Path p : s.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList()) {
                    files.add(p);
                    labels.add(c);
                }
            } catch (IOException e) {
                throw new DataException(-1, cd, "cannot list: " + e.getMessage(), e);
            }
        }
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    public List<String> classes() { return List.copyOf(classes); }

    public Path path(int index) { return files.get(index); }

    public int label(int index) { return labels.get(index); }

    @Override
    public int size() { return files.size(); }

    @Override
    public void check(int index) throws DataException { ImageIo.checkHeader(files.get(index), index); }

    @Override
    public LabeledImage get(int index, Generator rng) throws DataException {
        return new LabeledImage(index, pipeline.apply(ImageIo.read(files.get(index), index), rng), labels.get(index));
    }
}
