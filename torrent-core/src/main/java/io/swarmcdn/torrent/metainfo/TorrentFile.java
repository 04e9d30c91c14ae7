package io.swarmcdn.torrent.metainfo;

import java.util.List;

/**
 * One file of a torrent.
 *
 * @param path path components: for a single-file torrent just {@code [name]}; for a multi-file
 *     torrent relative to the torrent's directory {@code name} (BEP 3 {@code files[].path})
 * @param length size in bytes
 * @param offset where the file starts in the concatenation of all files that pieces are cut from
 */
public record TorrentFile(List<String> path, long length, long offset) {
  public TorrentFile {
    path = List.copyOf(path);
  }

  /** The components joined with '/'. */
  public String pathString() {
    return String.join("/", path);
  }
}
