package io.swarmcdn.origin.torrents;

import io.swarmcdn.origin.catalog.CatalogEntry;
import io.swarmcdn.origin.config.PublicUrls;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;

/**
 * Magnet URIs (BEP 9) for published files: {@code xt} info-hash, {@code dn} name, {@code xl}
 * length, {@code tr} the HTTP and the WebSocket tracker, {@code ws} web seed (BEP 19 style, understood by WebTorrent) and
 * {@code xs} the .torrent URL, so a client can start without DHT or ut_metadata peers.
 */
@Component
public final class MagnetLinks {
  private final PublicUrls urls;

  public MagnetLinks(PublicUrls urls) {
    this.urls = urls;
  }

  public String of(CatalogEntry entry) {
    return "magnet:?xt=urn:btih:" + entry.infoHash().hex()
        + "&dn=" + encode(entry.path().fileName())
        + "&xl=" + entry.size()
        + "&tr=" + encode(urls.announce())
        + "&tr=" + encode(urls.webSocketAnnounce())
        + "&ws=" + encode(urls.media(entry.path()))
        + "&xs=" + encode(urls.torrent(entry.infoHash()));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
