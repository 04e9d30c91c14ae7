package io.swarmcdn.origin.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The origin's settings ({@code swarmcdn.*}); each one also works as a {@code --name=value}
 * argument of the executable jar. The README's Settings table lists the same defaults.
 */
@ConfigurationProperties("swarmcdn")
public class SwarmCdnProperties {

  /** The media library: every regular file below it (any depth) is published. */
  private Path mediaDir = Path.of("media");

  /** Where the catalog, the .torrent files and the generated admin token are kept. */
  private Path dataDir = Path.of("data");

  /**
   * Bearer token for writes and {@code /api/v1/admin}. Empty: generated on first start and stored
   * in {@code <data-dir>/admin-token} (readable by the owner only).
   */
  private String adminToken = "";

  /**
   * Base URL written into torrents and magnets (web seed, tracker, .torrent link). Empty: {@code
   * http://<server.address or localhost>:<actual port>}.
   */
  private String publicUrl = "";

  /** Largest accepted upload; bigger ones answer 413 and leave nothing behind. */
  private DataSize maxUploadSize = DataSize.ofGigabytes(8);

  /**
   * Write uploads with O_DIRECT, bypassing the page cache: less CPU per byte, and the fsync
   * before a durable 201 has almost nothing left to do. Used only where the media folder's file
   * system accepts it (checked at start; otherwise, or with {@code false}, uploads are written
   * through the page cache).
   */
  private boolean uploadDirectIo = true;

  /** Origins allowed to read media, torrents and the read API cross-origin ({@code *}: any). */
  private List<String> corsOrigins = List.of("*");

  /** Full rescan of the media folder, the safety net behind file watching. */
  private Duration rescanInterval = Duration.ofSeconds(60);

  /**
   * A file is hashed only once its size and modification time have not changed for this long
   * (so a file still being copied in is not hashed half-written).
   */
  private Duration stableAfter = Duration.ofSeconds(2);

  /**
   * Event loops (threads) of the HTTP server, which also serves the WebSocket tracker; 0: one per
   * CPU core. Reactor Netty's own default, max(4, cores), costs the tracker a third more CPU per
   * relayed offer on a 2-core machine (see EventLoopsConfiguration).
   */
  private int eventLoops = 0;

  public Path getMediaDir() {
    return mediaDir;
  }

  public void setMediaDir(Path mediaDir) {
    this.mediaDir = mediaDir;
  }

  public Path getDataDir() {
    return dataDir;
  }

  public void setDataDir(Path dataDir) {
    this.dataDir = dataDir;
  }

  public String getAdminToken() {
    return adminToken;
  }

  public void setAdminToken(String adminToken) {
    this.adminToken = adminToken;
  }

  public String getPublicUrl() {
    return publicUrl;
  }

  public void setPublicUrl(String publicUrl) {
    this.publicUrl = publicUrl;
  }

  public DataSize getMaxUploadSize() {
    return maxUploadSize;
  }

  public void setMaxUploadSize(DataSize maxUploadSize) {
    this.maxUploadSize = maxUploadSize;
  }

  public boolean isUploadDirectIo() {
    return uploadDirectIo;
  }

  public void setUploadDirectIo(boolean uploadDirectIo) {
    this.uploadDirectIo = uploadDirectIo;
  }

  public List<String> getCorsOrigins() {
    return corsOrigins;
  }

  public void setCorsOrigins(List<String> corsOrigins) {
    this.corsOrigins = corsOrigins;
  }

  public Duration getRescanInterval() {
    return rescanInterval;
  }

  public void setRescanInterval(Duration rescanInterval) {
    this.rescanInterval = rescanInterval;
  }

  public Duration getStableAfter() {
    return stableAfter;
  }

  public void setStableAfter(Duration stableAfter) {
    this.stableAfter = stableAfter;
  }

  public int getEventLoops() {
    return eventLoops;
  }

  public void setEventLoops(int eventLoops) {
    this.eventLoops = eventLoops;
  }
}
