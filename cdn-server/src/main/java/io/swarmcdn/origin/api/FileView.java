package io.swarmcdn.origin.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A file entry as the API shows it. {@code status} is {@code ready} (published: torrent, media
 * URL, magnet) or {@code hashing} (with {@code progress} from 0 to 1; torrent fields absent).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileView(
    String path,
    long size,
    String status,
    double progress,
    String infoHash,
    Integer pieceLength,
    Integer pieces,
    String mediaUrl,
    String torrentUrl,
    String magnetUri,
    String lastModified) {}
