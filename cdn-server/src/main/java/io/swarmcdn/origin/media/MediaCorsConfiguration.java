package io.swarmcdn.origin.media;

import io.swarmcdn.origin.config.SwarmCdnProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * CORS for what browsers fetch cross-origin: media (web seeds), .torrent files and the read API.
 * WebTorrent's web seed sends {@code Range}, {@code Cache-Control} and {@code User-Agent}, which
 * makes every piece request preflighted; without them allowed it stalls silently. It must read
 * {@code Content-Range} and {@code Content-Length} to place the bytes.
 */
@Configuration(proxyBeanMethods = false)
class MediaCorsConfiguration {

  @Bean
  CorsWebFilter corsWebFilter(SwarmCdnProperties properties) {
    CorsConfiguration reads = reads(properties);
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    // Media GET/HEAD never reach this filter (MediaRoutes answers them, with MediaCors); the
    // media pattern stays for their preflights (OPTIONS).
    source.registerCorsConfiguration(MediaHandler.PREFIX + "**", reads);
    source.registerCorsConfiguration("/torrents/**", reads);
    source.registerCorsConfiguration("/api/v1/lookup", reads);
    source.registerCorsConfiguration("/api/v1/files", reads);
    source.registerCorsConfiguration("/api/v1/files/*", reads);
    return new CorsWebFilter(source);
  }

  /** The one CORS policy of everything public and readable. */
  static CorsConfiguration reads(SwarmCdnProperties properties) {
    CorsConfiguration reads = new CorsConfiguration();
    reads.setAllowedOrigins(properties.getCorsOrigins());
    reads.setAllowedMethods(List.of("GET", "HEAD"));
    reads.setAllowedHeaders(List.of("Range", "Cache-Control", "User-Agent", "If-Range",
        "If-None-Match", "If-Modified-Since"));
    reads.setExposedHeaders(List.of("Content-Range", "Content-Length", "ETag", "Accept-Ranges",
        "Last-Modified"));
    reads.setMaxAge(Duration.ofDays(1));
    return reads;
  }
}
