package io.swarmcdn.origin.torrents;

import io.swarmcdn.origin.catalog.Catalog;
import io.swarmcdn.origin.catalog.CatalogEntry;
import io.swarmcdn.origin.library.MediaPath;
import io.swarmcdn.torrent.metainfo.InfoHash;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.util.Comparator;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /torrents/{infoHash}.torrent}: the metainfo of a published file, with every path
 * that publishes the same content as a web seed.
 */
@RestController
class TorrentController {
  static final MediaType BITTORRENT = MediaType.parseMediaType("application/x-bittorrent");

  private final Catalog catalog;
  private final TorrentFactory torrents;

  TorrentController(Catalog catalog, TorrentFactory torrents) {
    this.catalog = catalog;
    this.torrents = torrents;
  }

  @GetMapping("/torrents/{infoHash}.torrent")
  ResponseEntity<byte[]> torrent(@PathVariable String infoHash) {
    InfoHash hash;
    try {
      hash = InfoHash.fromHex(infoHash);
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
          "info-hash must be 40 hex characters");
    }
    List<CatalogEntry> copies = catalog.entries(hash);
    if (copies.isEmpty()) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no published torrent " + infoHash);
    }
    List<MediaPath> paths = copies.stream().map(CatalogEntry::path)
        .sorted(Comparator.comparing(MediaPath::toString)).toList();
    Metainfo torrent = torrents.withWebSeeds(copies.get(0).torrent(), paths);
    // No ETag: the web seeds listed change as copies come and go, the info-hash does not.
    return ResponseEntity.ok().contentType(BITTORRENT).body(torrent.toBytes());
  }
}
