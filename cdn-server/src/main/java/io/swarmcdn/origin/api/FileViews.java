package io.swarmcdn.origin.api;

import io.swarmcdn.origin.catalog.CatalogEntry;
import io.swarmcdn.origin.config.PublicUrls;
import io.swarmcdn.origin.library.HashProgress;
import io.swarmcdn.origin.torrents.MagnetLinks;
import io.swarmcdn.torrent.metainfo.Info;
import java.time.Instant;
import org.springframework.stereotype.Component;

/** Builds {@link FileView}s from catalog entries and hashing progress. */
@Component
public final class FileViews {
  private final PublicUrls urls;
  private final MagnetLinks magnets;

  public FileViews(PublicUrls urls, MagnetLinks magnets) {
    this.urls = urls;
    this.magnets = magnets;
  }

  public FileView of(CatalogEntry e) {
    Info info = e.torrent().info();
    return new FileView(e.path().toString(), e.size(), "ready", 1.0, e.infoHash().hex(),
        info.pieceLength(), info.pieceCount(), urls.media(e.path()), urls.torrent(e.infoHash()),
        magnets.of(e), Instant.ofEpochMilli(e.state().mtimeMillis()).toString());
  }

  public FileView of(HashProgress p) {
    return new FileView(p.path().toString(), p.size(), "hashing", p.fraction(), null, null, null,
        null, null, null, null);
  }
}
