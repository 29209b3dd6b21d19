package dev.groundwork.tools;

import dev.groundwork.models.interbert.recipe.ModelSize;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --config} and {@code --model-size}: which InterBERT network a command builds, for every InterBERT command. */
final class InterBertModelOption {
    @Option(names = {"--config", "--config_file"}, paramLabel = "FILE", description = "the original's InterBERT config JSON (default: --model-size)")
    Path config;

    @Option(names = "--model-size", defaultValue = "base", paramLabel = "base|demo", converter = SizeConverter.class,
            description = "network size when no --config is given: base (bert_base_6layer_interbert.json) or demo (default ${DEFAULT-VALUE})")
    ModelSize size;

    /** {@code --region-classes}: the inherited region head's width, for the commands that load a pretrained InterBERT. */
    static final class RegionClasses {
        @Option(names = "--region-classes", defaultValue = "1601", paramLabel = "C",
                description = "width of the checkpoint's region head, so it loads (default ${DEFAULT-VALUE}; the synthetic small preset: 32)")
        int value;
    }

    static final class SizeConverter implements picocli.CommandLine.ITypeConverter<ModelSize> {
        @Override
        public ModelSize convert(String v) {
            try {
                return ModelSize.parse(v);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
