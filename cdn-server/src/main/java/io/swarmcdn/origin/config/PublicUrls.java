package io.swarmcdn.origin.config;

import io.swarmcdn.origin.library.MediaPath;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * The public URLs of this origin: media (the BEP 19 web seed), .torrent files, the tracker. The
 * base is {@code swarmcdn.public-url}, or derived from the port the server actually bound (known
 * only once it started, which is why the library starts hashing after that) and {@code
 * spring.webflux.base-path}, under which every route is served, media included.
 */
@Component
public final class PublicUrls implements ApplicationListener<WebServerInitializedEvent> {
  static final String MEDIA_PREFIX = "/media/";

  private final String configured;
  private final Environment environment;
  private final String basePath;
  private volatile String base;

  public PublicUrls(SwarmCdnProperties properties, Environment environment) {
    String url = properties.getPublicUrl().strip();
    this.configured = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.environment = environment;
    this.basePath = cleanBasePath(environment.getProperty("spring.webflux.base-path", ""));
    this.base = configured.isEmpty() ? null : configured;
  }

  @Override
  public void onApplicationEvent(WebServerInitializedEvent event) {
    if (configured.isEmpty() && event.getApplicationContext().getServerNamespace() == null) {
      base = "http://" + host() + ":" + event.getWebServer().getPort() + basePath;
    }
  }

  /**
   * {@code spring.webflux.base-path} normalised as Spring Boot does: {@code ""} when unset or
   * {@code /}, else a leading and no trailing slash ({@code cdn/} is {@code /cdn}).
   */
  static String cleanBasePath(String value) {
    String path = value == null ? "" : value.strip();
    if (path.isEmpty()) {
      return "";
    }
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /**
   * The path prefix of every route on this server ({@code spring.webflux.base-path}), {@code ""}
   * or e.g. {@code /cdn}. Unlike {@link #base()}, it is the server's own, never the public URL's:
   * a proxy in front may map any public path onto it.
   */
  public String basePath() {
    return basePath;
  }

  private String host() {
    String address = environment.getProperty("server.address", "");
    if (address.isBlank()) {
      return "localhost";
    }
    try {
      InetAddress inet = InetAddress.getByName(address);
      if (inet.isAnyLocalAddress()) {
        return "localhost";
      }
      return address.contains(":") ? "[" + address + "]" : address;
    } catch (UnknownHostException e) {
      return address;
    }
  }

  /** The base URL without a trailing slash, e.g. {@code http://localhost:8080}. */
  public String base() {
    String b = base;
    if (b == null) {
      throw new IllegalStateException("public URL not known before the server has started");
    }
    return b;
  }

  public String media(MediaPath path) {
    StringBuilder sb = new StringBuilder(base()).append("/media");
    for (String segment : path.segments()) {
      sb.append('/').append(UriUtils.encodePathSegment(segment, StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  public String torrent(InfoHash infoHash) {
    return base() + "/torrents/" + infoHash.hex() + ".torrent";
  }

  /** The classic HTTP tracker (BEP 3), for desktop clients. */
  public String announce() {
    return base() + "/announce";
  }

  /**
   * The WebSocket tracker on the same path: {@code ws://} (or {@code wss://} behind https).
   * Browsers speak only this one, so torrents and magnets must carry it for a stock WebTorrent
   * client to find peers.
   */
  public String webSocketAnnounce() {
    String b = base();
    int colon = b.indexOf(':');
    String scheme = b.substring(0, colon).equalsIgnoreCase("https") ? "wss" : "ws";
    return scheme + b.substring(colon) + "/announce";
  }

  /**
   * The media path a URL points at: an absolute URL or an absolute path whose path is {@code
   * /media/...} (below the public URL's own path prefix when it has one). The host is not
   * compared: a site may reach the origin under several names.
   *
   * @throws IllegalArgumentException when the URL is malformed or its path is invalid
   */
  public Optional<MediaPath> mediaPathOf(String url) {
    URI uri = URI.create(url);
    String rawPath = uri.getRawPath();
    if (rawPath == null) {
      return Optional.empty();
    }
    String prefix = URI.create(base()).getRawPath();
    prefix = (prefix == null ? "" : prefix) + MEDIA_PREFIX;
    if (!rawPath.startsWith(prefix)) {
      return Optional.empty();
    }
    return Optional.of(MediaPath.fromUrlPath(rawPath.substring(prefix.length())));
  }
}
