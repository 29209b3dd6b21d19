package dev.groundwork.models.language;

import dev.groundwork.models.bert.BertModel;
import dev.groundwork.models.checkpoint.LoadReport;
import dev.groundwork.models.text.BertTokenizer;

/**
 * A BERT language stream ready to embed text: the network (eval mode, weights loaded strictly), its
 * tokenizer, and how its text was encoded in training.
 *
 * @param origin      where it came from (decides the defaults below)
 * @param tokenType   the segment id its real tokens were trained with: 1 for VG-BERT (spec §2.2,
 *                    §9.11), 0 for Hugging Face and InterBERT models
 * @param phraseSlots L of {@code Bert_object} pooling (§2.4): 10 for the paper, 8 for the demo preset,
 *                    10 for models VG-BERT did not train
 * @param description one line for reports: the source, the sizes and the tokenizer
 * @param report      what the loader did with every tensor (dropped heads and streams included)
 */
public record LanguageModel(BertModel bert, BertTokenizer tokenizer, Origin origin, int tokenType, int phraseSlots,
                            String description, LoadReport report) {

    /** The kinds of source {@link LanguageModels#open} reads. */
    public enum Origin {
        /** A Hugging Face BERT folder (config.json, weights, tokenizer) or a BERT checkpoint file. */
        BERT,
        /** The language stream of a VG-BERT checkpoint of any stage, or of its transfer model. */
        VG_BERT,
        /** InterBERT's text stream: its text embeddings and every text-config layer. */
        INTERBERT,
        /** The demo's stage-2 network as its seed initialises it, before training. */
        UNTRAINED
    }
}
