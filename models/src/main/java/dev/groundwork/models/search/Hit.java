package dev.groundwork.models.search;

import java.nio.file.Path;

/** One search result: the image file and its cosine score against the query. */
public record Hit(Path path, double score) {}
