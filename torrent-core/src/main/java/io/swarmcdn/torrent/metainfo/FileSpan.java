package io.swarmcdn.torrent.metainfo;

/**
 * The part of one file that a piece (or a range within it) covers.
 *
 * @param fileIndex index into {@link Info#files()}
 * @param fileOffset first byte within that file
 * @param length number of bytes (at most one piece, so an int)
 */
public record FileSpan(int fileIndex, long fileOffset, int length) {}
