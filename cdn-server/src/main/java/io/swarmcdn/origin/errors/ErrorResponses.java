package io.swarmcdn.origin.errors;

import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the origin's one error shape, {@code {"error": "not_found", "message": "..."}}: {@code
 * error} is the status as a stable snake_case code for programs, {@code message} is for people.
 */
public final class ErrorResponses {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ErrorResponses() {}

  public static Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, String message) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.error(new IllegalStateException("response already committed: " + message));
    }
    response.setStatusCode(status);
    HttpHeaders request = exchange.getRequest().getHeaders();
    if (request.getContentLength() > 0 || request.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
      // The body may be unread (e.g. an upload refused up front): don't leave the client
      // sending it into a connection that would then parse the rest as the next request.
      response.getHeaders().set(HttpHeaders.CONNECTION, "close");
    }
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    byte[] body = body(status, message);
    response.getHeaders().setContentLength(body.length);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
  }

  /** The JSON body of an error response ({@code application/json}). */
  public static byte[] body(HttpStatusCode status, String message) {
    return JSON.writeValueAsBytes(Map.of("error", code(status), "message",
        message == null ? "" : message));
  }

  /** {@code 404} -> {@code not_found}, {@code 413} -> {@code content_too_large}. */
  public static String code(HttpStatusCode status) {
    if (status instanceof org.springframework.http.HttpStatus known) {
      return known.name().toLowerCase(Locale.ROOT);
    }
    return "http_" + status.value();
  }
}
