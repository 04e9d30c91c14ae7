package io.swarmcdn.origin.errors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

/**
 * Turns every exception that reaches the web layer into the JSON error shape: our own
 * {@link ResponseStatusException}s, the framework's (unknown route 404, 405, 415, malformed
 * input 400) and unexpected failures (500, details only in the log). Replaces Spring Boot's
 * default error handler, whose body has another shape.
 */
@Component
@Order(-2)
public class JsonErrorHandler implements ErrorWebExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
    if (exchange.getResponse().isCommitted()) {
      return Mono.error(ex);
    }
    if (ex instanceof AbortedException || AbortedException.isConnectionReset(ex)) {
      // The client went away (an aborted upload, say): nobody to answer, and nothing wrong here.
      log.debug("Client went away during {} {}: {}", exchange.getRequest().getMethod(),
          exchange.getRequest().getPath(), ex.toString());
      return Mono.empty();
    }
    HttpStatusCode status;
    String message;
    if (ex instanceof NoResourceFoundException) {
      status = HttpStatus.NOT_FOUND;
      message = "no such resource: " + exchange.getRequest().getMethod() + " "
          + exchange.getRequest().getPath().value();
    } else if (ex instanceof ServerWebInputException input
        && input.getCause() instanceof TypeMismatchException mismatch) {
      // Spring's own reason is just "Type mismatch.": name the parameter and what it takes.
      status = input.getStatusCode();
      message = "invalid value for " + parameterName(input, mismatch) + (mismatch.getRequiredType() == null
          ? "" : " (expected " + expected(mismatch.getRequiredType()) + ")");
    } else if (ex instanceof ResponseStatusException rse) {
      status = rse.getStatusCode();
      message = rse.getReason() != null ? rse.getReason() : defaultMessage(status);
      exchange.getResponse().getHeaders().putAll(rse.getHeaders());
    } else {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
      message = "internal error";
      log.error("Unhandled error on {} {}", exchange.getRequest().getMethod(),
          exchange.getRequest().getPath(), ex);
    }
    return ErrorResponses.write(exchange, status, message);
  }

  private static String parameterName(ServerWebInputException input, TypeMismatchException e) {
    if (e.getPropertyName() != null) {
      return e.getPropertyName();
    }
    MethodParameter parameter = input.getMethodParameter();
    String name = parameter == null ? null : parameter.getParameterName();
    return name == null ? "a parameter" : name;
  }

  private static String expected(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer in range";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    return type.getSimpleName();
  }

  private static String defaultMessage(HttpStatusCode status) {
    HttpStatus known = HttpStatus.resolve(status.value());
    return known != null ? known.getReasonPhrase() : "HTTP " + status.value();
  }
}
