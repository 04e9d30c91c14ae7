package io.swarmcdn.origin.media;

import io.swarmcdn.origin.catalog.CatalogEntry;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;

/**
 * The response headers that depend only on a published file: its validators (strong ETag = the
 * info-hash, RFC 9110 section 8.8.3; Last-Modified in whole seconds, section 8.8.2) and its
 * Content-Type, from the file name.
 */
record Representation(
    CatalogEntry entry, String etag, long lastModified, String lastModifiedDate,
    String contentType) {

  static Representation of(CatalogEntry entry) {
    long lastModified = entry.state().mtimeMillis() / 1000;
    return new Representation(entry, "\"" + entry.infoHash().hex() + "\"", lastModified,
        HttpDate.format(lastModified),
        MediaTypeFactory.getMediaType(entry.path().fileName())
            .orElse(MediaType.APPLICATION_OCTET_STREAM).toString());
  }

  /**
   * A small direct-mapped cache by path: a web-seed client asks for many pieces of one file in a
   * row, and formatting these headers cost more than the rest of the request's own work. A slot
   * is valid only for the very catalog entry it was made from (a republished file has a new
   * entry), and memory stays bounded whatever the catalog does. Slots are written without locks:
   * a record's final fields make a racy read see either a whole old or a whole new value.
   */
  static final class Cache {
    private static final int SLOTS = 256;
    private final Representation[] slots = new Representation[SLOTS];

    Representation of(CatalogEntry entry) {
      int slot = entry.path().hashCode() & (SLOTS - 1);
      Representation cached = slots[slot];
      if (cached != null && cached.entry == entry) {
        return cached;
      }
      Representation fresh = Representation.of(entry);
      slots[slot] = fresh;
      return fresh;
    }
  }
}
