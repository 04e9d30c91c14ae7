package io.swarmcdn.origin.torrents;

import io.swarmcdn.origin.config.PublicUrls;
import io.swarmcdn.origin.library.MediaPath;
import io.swarmcdn.torrent.create.TorrentBuilder;
import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Builds the v1 torrent of a library file: single-file, named after the file, {@code announce} =
 * this origin's HTTP tracker, {@code announce-list} = that tracker and the WebSocket tracker in
 * tiers of their own (BEP 12: a desktop client skips the {@code ws://} tier it cannot speak, a
 * browser the {@code http://} one), and {@code url-list} = the file's media URL (BEP 19: for a
 * single-file torrent the URL is the file itself). Announce and web seed live outside the info dictionary,
 * so rebuilding a torrent for a new public URL keeps its info-hash.
 */
@Component
public final class TorrentFactory {
  static final String CREATED_BY = "SwarmCDN origin";

  private final PublicUrls urls;

  public TorrentFactory(PublicUrls urls) {
    this.urls = urls;
  }

  /** The torrent of the {@code size}-byte file at {@code path}, given its piece hashes. */
  public Metainfo create(MediaPath path, long size, int pieceLength, byte[] pieces) {
    return build(path.fileName(), List.of(path), size, pieceLength, pieces);
  }

  /**
   * The torrent of a content published at several paths (same file name and bytes, hence one
   * info-hash), listing every copy as a web seed: BEP 19 clients spread their requests over all
   * of them, and any one may be deleted without orphaning the torrent.
   */
  public Metainfo withWebSeeds(Metainfo torrent, List<MediaPath> paths) {
    if (paths.size() <= 1) {
      return torrent;
    }
    Info info = torrent.info();
    Metainfo all = build(info.name(), paths, info.totalLength(), info.pieceLength(),
        info.dictionary().getBytes("pieces"));
    if (!all.infoHash().equals(torrent.infoHash())) {
      throw new IllegalStateException("copies of " + paths.get(0) + " differ");
    }
    return all;
  }

  private Metainfo build(String name, List<MediaPath> paths, long size, int pieceLength,
      byte[] pieces) {
    TorrentBuilder builder = TorrentBuilder.singleFile(name, size)
        .pieceLength(pieceLength)
        .tracker(urls.announce())
        .tracker(urls.webSocketAnnounce())
        .createdBy(CREATED_BY);
    paths.forEach(path -> builder.webSeed(urls.media(path)));
    return builder.build(pieces);
  }

  /**
   * The same torrent with the current URLs (the public URL may have changed since it was saved);
   * {@code stored} itself when nothing changed.
   */
  public Metainfo refresh(MediaPath path, Metainfo stored) {
    if (stored.announceList().equals(trackerTiers())
        && stored.webSeeds().equals(List.of(urls.media(path)))) {
      return stored;
    }
    Info info = stored.info();
    Metainfo rebuilt =
        create(path, info.totalLength(), info.pieceLength(), info.dictionary().getBytes("pieces"));
    if (!rebuilt.infoHash().equals(stored.infoHash())) {
      throw new IllegalStateException("stored torrent of " + path + " is not ours");
    }
    return rebuilt;
  }

  private List<List<String>> trackerTiers() {
    return List.of(List.of(urls.announce()), List.of(urls.webSocketAnnounce()));
  }
}
