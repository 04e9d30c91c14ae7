package io.swarmcdn.origin.catalog;

import io.swarmcdn.origin.library.FileState;
import io.swarmcdn.origin.library.MediaPath;
import io.swarmcdn.torrent.metainfo.InfoHash;
import io.swarmcdn.torrent.metainfo.Metainfo;

/**
 * A published file: where it is, the state it had when it was hashed, and its torrent (whose
 * pieces match exactly that state; the media endpoint re-checks the state before serving).
 */
public record CatalogEntry(MediaPath path, FileState state, Metainfo torrent) {

  public InfoHash infoHash() {
    return torrent.infoHash();
  }

  public long size() {
    return state.size();
  }
}
