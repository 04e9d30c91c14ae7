package io.swarmcdn.origin.api;

import io.swarmcdn.origin.catalog.Catalog;
import io.swarmcdn.origin.catalog.CatalogEntry;
import io.swarmcdn.origin.config.PublicUrls;
import io.swarmcdn.origin.library.HashProgress;
import io.swarmcdn.origin.library.MediaLibrary;
import io.swarmcdn.origin.library.MediaPath;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The read side of the files API and deletion: {@code GET /api/v1/files} (paged),
 * {@code GET/DELETE /api/v1/files/{infoHash}}, {@code GET /api/v1/lookup?url=}. Uploads are in
 * the publish package; the auth filter guards the writes.
 */
@RestController
class FilesController {
  static final int MAX_PAGE_SIZE = 1000;

  private final Catalog catalog;
  private final MediaLibrary library;
  private final FileViews views;
  private final PublicUrls urls;

  FilesController(Catalog catalog, MediaLibrary library, FileViews views,
      PublicUrls urls) {
    this.catalog = catalog;
    this.library = library;
    this.views = views;
    this.urls = urls;
  }

  record Page(int page, int size, int total, List<FileView> items) {}

  /** Published files and files being hashed, ordered by path. */
  @GetMapping("/api/v1/files")
  Page list(@RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "100") int size) {
    if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
          "page must be >= 0 and size between 1 and " + MAX_PAGE_SIZE);
    }
    List<FileView> all = new ArrayList<>();
    catalog.entries().forEach(e -> all.add(views.of(e)));
    for (HashProgress p : library.hashing()) {
      all.add(views.of(p));
    }
    all.sort(Comparator.comparing(FileView::path));
    long from = (long) page * size;
    List<FileView> items = from >= all.size()
        ? List.of() : all.subList((int) from, (int) Math.min(all.size(), from + size));
    return new Page(page, size, all.size(), items);
  }

  @GetMapping("/api/v1/files/{infoHash}")
  FileView get(@PathVariable String infoHash) {
    return views.of(find(infoHash));
  }

  /** Deletes the file (every path with this content) and its torrent. */
  @DeleteMapping("/api/v1/files/{infoHash}")
  ResponseEntity<Void> delete(@PathVariable String infoHash) {
    find(infoHash);
    for (CatalogEntry e : catalog.entries(parse(infoHash))) {
      try {
        library.delete(e);
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot delete " + e.path(), ex);
      }
    }
    return ResponseEntity.noContent().build();
  }

  /** The entry of the file served at {@code url} (a media URL of this origin). */
  @GetMapping("/api/v1/lookup")
  FileView lookup(@RequestParam String url) {
    MediaPath path;
    try {
      path = urls.mediaPathOf(url).orElseThrow(() -> new ResponseStatusException(
          HttpStatus.NOT_FOUND, "not a media URL of this origin: " + url));
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "invalid url: " + e.getMessage());
    }
    return catalog.get(path).map(views::of)
        .or(() -> library.hashing().stream().filter(p -> p.path().equals(path)).findFirst()
            .map(views::of))
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
            "no published file at " + url));
  }

  private CatalogEntry find(String infoHash) {
    return catalog.get(parse(infoHash)).orElseThrow(() -> new ResponseStatusException(
        HttpStatus.NOT_FOUND, "no published file with info-hash " + infoHash));
  }

  static InfoHash parse(String hex) {
    try {
      return InfoHash.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
          "info-hash must be 40 hex characters");
    }
  }
}
