package dev.eksaccess.handler;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.eksaccess.delivery.InboundMessage;
import dev.eksaccess.request.ParsedMessage;
import dev.eksaccess.request.RequestParser;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Priming of the grant processor: turns {@link #MESSAGE} from an SQS record into the processor's message, parses and
 * validates it with the function's own rules, and writes the request as JSON. Nothing is applied: applying needs EKS.
 */
final class GrantProcessorPriming extends Priming {

    /** A representative grant-queue message: parsed only, never applied. */
    static final String MESSAGE = "{\"action\":\"grant\",\"clusterName\":\"priming\","
            + "\"principalArn\":\"arn:aws:iam::000000000000:role/priming\",\"accessPolicy\":\"AmazonEKSViewPolicy\","
            + "\"accessScope\":{\"type\":\"namespace\",\"namespaces\":[\"priming-*\"]},\"duration\":\"PT1H\"}";

    private final RequestParser parser;
    private final Clock clock;

    GrantProcessorPriming(RequestParser parser, Clock clock, Supplier<?> preparation) {
        super(preparation);
        this.parser = parser;
        this.clock = clock;
    }

    /**
     * @return the request as JSON; or, where the deployed rules refuse it (say, allowed policies without the
     *         view policy), the rejection, since validation ran all the same
     */
    @Override
    String prime() {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("priming");
        message.setBody(MESSAGE);
        message.setAttributes(Map.of("SentTimestamp", String.valueOf(clock.millis())));
        InboundMessage inbound = GrantRequestHandler.inbound(message);
        return switch (parser.parse(inbound.body(), inbound.meta())) {
            case ParsedMessage.Access access -> access.request().toJson();
            case ParsedMessage.Bootstrap bootstrap -> throw new IllegalStateException("the priming message is a grant");
            case ParsedMessage.Decision decision -> throw new IllegalStateException("the priming message is a grant");
            case ParsedMessage.Restore restore -> throw new IllegalStateException("the priming message is a grant");
            case ParsedMessage.Invalid invalid -> invalid.rejectionReason();
        };
    }
}
