package io.swarmcdn.origin.auth;

import io.swarmcdn.origin.config.SwarmCdnProperties;
import io.swarmcdn.origin.storage.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The admin bearer token: {@code swarmcdn.admin-token}, else the one stored in {@code
 * <data-dir>/admin-token}, else a new random one (256 bits) written there, owner-readable only,
 * and printed once.
 */
@Component
public class AdminToken {
  private static final Logger log = LoggerFactory.getLogger(AdminToken.class);
  static final String FILE_NAME = "admin-token";

  private final byte[] digest;
  private final Path file;

  public AdminToken(SwarmCdnProperties properties) {
    this.file = properties.getDataDir().toAbsolutePath().resolve(FILE_NAME);
    String configured = properties.getAdminToken().strip();
    String token = configured.isEmpty() ? storedOrGenerated() : configured;
    this.digest = sha256(token);
  }

  private String storedOrGenerated() {
    try {
      if (Files.exists(file)) {
        String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!stored.isEmpty()) {
          log.info("Admin token: stored in {}", file);
          return stored;
        }
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      AtomicFiles.write(file, (token + "\n").getBytes(StandardCharsets.UTF_8));
      log.warn("Generated admin token (stored in {}, shown only this once): {}", file, token);
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or store the admin token in " + file, e);
    }
  }

  /** Where a generated token is kept. */
  public Path file() {
    return file;
  }

  /**
   * Whether {@code presented} is the token. Both sides are hashed first, so the comparison takes
   * the same time whatever the presented value (length included).
   */
  public boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(digest, sha256(presented));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
