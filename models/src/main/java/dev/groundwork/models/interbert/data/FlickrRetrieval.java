package dev.groundwork.models.interbert.data;

import dev.groundwork.engine.random.Generator;
import dev.groundwork.models.data.DataException;
import dev.groundwork.models.data.Dataset;
import dev.groundwork.models.text.BertTokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flickr30K retrieval fine-tuning samples (spec 3.3, 4.2), one per caption: four pairs, (I, C) matched,
 * (I, C2) with a caption of a random other image, (I3, C) a random other image with the same caption,
 * and (I, C4) with a caption of a "hard" image drawn from columns 1..K−1 of I's row of
 * {@code hard_negative.pkl} (for val/test, without a pool, a random other image). Targets 0, 1, 1, 1
 * (spec 8.14). Captions: [CLS] pieces [SEP] truncated to L = 30, so a long caption loses its [SEP]
 * (spec 8.13, reproduced). Images: the feature reader's output (global first) cut to R = 102 rows;
 * the original does not cut the third image's mask (a crash past R boxes), here all four are cut alike.
 */
public final class FlickrRetrieval implements Dataset<PairItem> {
    public static final int TEXT_LENGTH = 30, REGIONS = 102;

    private final FlickrSplit split;
    private final FeatureLmdb features;
    private final HardNegatives hard;
    private final TextSlots[] captions;
    private final int[] imageOf;
    private final Map<Long, Integer> poolRow = new HashMap<>();
    private final int regions;

    /** {@code hard} null: the val/test behaviour (a random image for the fourth pair). */
    public FlickrRetrieval(FlickrSplit split, FeatureLmdb features, HardNegatives hard, BertTokenizer tokenizer, int textLength, int regions) {
        this.split = split;
        this.features = features;
        this.hard = hard;
        this.regions = regions;
        this.imageOf = split.imageOf();
        List<String> caps = split.captions();
        this.captions = new TextSlots[caps.size()];
        for (int c = 0; c < caps.size(); c++) captions[c] = encode(tokenizer, caps.get(c), textLength);
        if (hard != null) for (int i = 0; i < hard.images(); i++) poolRow.put(hard.imageIds()[i], i);
    }

    /** [CLS] + word pieces + [SEP] (unknown pieces → [UNK]), then cut to {@code length}, padded with 0; segments 0. */
    public static TextSlots encode(BertTokenizer tokenizer, String caption, int length) {
        int[] body = tokenizer.tokenIds(caption);
        int[] all = new int[body.length + 2];
        all[0] = tokenizer.vocab().clsId();
        System.arraycopy(body, 0, all, 1, body.length);
        all[all.length - 1] = tokenizer.vocab().sepId();
        return TextSlots.of(all, new int[all.length], length, tokenizer.vocab().padId());
    }

    @Override
    public int size() { return captions.length; }

    /** The caption's image is in the feature store and, for training, in the hard-negative pool. */
    @Override
    public void check(int index) throws DataException {
        long id = split.images().get(imageOf[index]).id();
        features.requireId(Long.toString(id), index, split.file());
        if (hard != null && !poolRow.containsKey(id))
            throw new DataException(index, hard.file(), "image " + id + " of " + split.file().getFileName() + " is not in train_image_list");
        if (split.images().size() < 2) throw new DataException(-1, split.file(), "needs at least two images to draw negatives");
    }

    @Override
    public PairItem get(int index, Generator rng) throws DataException {
        check(index);
        int image = imageOf[index];
        long id = split.images().get(image).id();
        RegionSet.Padded i1 = padded(id);
        int img2 = otherImage(image, rng);
        TextSlots c2 = randomCaption(img2, rng);
        int img3 = otherImage(image, rng);
        RegionSet.Padded i3 = padded(split.images().get(img3).id());
        int img4;
        if (hard != null) {
            int[] row = hard.row(poolRow.get(id));
            long hardId = hard.imageIds()[row[1 + rng.nextInt(row.length - 1)]];
            img4 = indexOf(hardId, index);
        } else {
            img4 = otherImage(image, rng);
        }
        TextSlots c4 = randomCaption(img4, rng);
        TextSlots c1 = captions[index];
        return new PairItem(List.of(i1, i1, i3, i1), List.of(c1, c2, c1, c4), new int[]{0, 1, 1, 1}, Long.toString(id));
    }

    private RegionSet.Padded padded(long id) throws DataException {
        return features.image(Long.toString(id)).regions().pad(regions);
    }

    private int otherImage(int image, Generator rng) {
        int n = split.images().size(), j;
        do j = rng.nextInt(n); while (j == image);
        return j;
    }

    private TextSlots randomCaption(int image, Generator rng) {
        int first = 0;
        for (int i = 0; i < image; i++) first += split.images().get(i).sentences().size();
        return captions[first + rng.nextInt(split.images().get(image).sentences().size())];
    }

    private int indexOf(long id, int index) throws DataException {
        List<FlickrSplit.Image> im = split.images();
        for (int i = 0; i < im.size(); i++) if (im.get(i).id() == id) return i;
        throw new DataException(index, hard.file(), "hard negative image " + id + " is not in " + split.file().getFileName());
    }
}
