package io.swarmcdn.origin.torrents;

import io.swarmcdn.origin.catalog.Catalog;
import io.swarmcdn.origin.catalog.CatalogEntry;
import io.swarmcdn.torrent.metainfo.InfoHash;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code GET /torrents/{infoHash}.torrent}: the metainfo of a published file. */
@RestController
class TorrentController {
  static final MediaType BITTORRENT = MediaType.parseMediaType("application/x-bittorrent");

  private final Catalog catalog;

  TorrentController(Catalog catalog) {
    this.catalog = catalog;
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
    CatalogEntry entry = catalog.get(hash).orElseThrow(() -> new ResponseStatusException(
        HttpStatus.NOT_FOUND, "no published torrent " + infoHash));
    return ResponseEntity.ok().contentType(BITTORRENT)
        .eTag("\"" + hash.hex() + "\"")
        .body(entry.torrent().toBytes());
  }
}
