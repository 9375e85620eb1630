package io.kavach.cost;

import io.kavach.model.Microdollars;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One cost to record. Checked with Bean Validation by {@link CostAttribution#recordCost}, which
 * reports every violation at once and stores nothing when any is found.
 *
 * <pre>{@code
 * costs.recordCost(RecordCostRequest.builder(agentId, "openai:gpt-4o")
 *         .tokens(usage.promptTokens(), usage.completionTokens())
 *         .costUsd("0.0125")
 *         .build());
 * }</pre>
 *
 * @param agentId           the agent that spent it
 * @param tool              such as {@code openai:gpt-4o} or {@code mcp:github}
 * @param inputTokens       input tokens
 * @param outputTokens      output tokens
 * @param cost              the cost, not negative
 * @param currency          ISO 4217 code; {@code USD} unless set
 * @param metadata          free data kept with the event
 * @param delegationChainId the delegation chain to attribute the spend to, or null
 */
public record RecordCostRequest(
        @NotBlank @Size(max = 40) String agentId,
        @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String tool,
        @PositiveOrZero long inputTokens,
        @PositiveOrZero long outputTokens,
        @NotNull Microdollars cost,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD") String currency,
        @NotNull @Size(max = 100) Map<String, Object> metadata,
        @Size(max = 40) String delegationChainId) {

    public static final String USD = "USD";

    public static Builder builder(String agentId, String tool) {
        return new Builder(agentId, tool);
    }

    /** A builder. The dollar setters convert exactly or throw; there is no {@code double} setter on purpose. Not thread-safe. */
    public static final class Builder {
        private final String agentId;
        private final String tool;
        private long inputTokens;
        private long outputTokens;
        private Microdollars cost;
        private String currency = USD;
        private final Map<String, Object> metadata = new LinkedHashMap<>();
        private String delegationChainId;

        private Builder(String agentId, String tool) {
            this.agentId = agentId;
            this.tool = tool;
        }

        public Builder tokens(long input, long output) {
            this.inputTokens = input;
            this.outputTokens = output;
            return this;
        }

        public Builder cost(Microdollars amount) {
            this.cost = amount;
            return this;
        }

        /** Exactly {@code dollars}, such as {@code new BigDecimal("0.10")}. */
        public Builder costUsd(BigDecimal dollars) {
            this.cost = Microdollars.ofDollars("cost", dollars);
            return this;
        }

        /** Exactly the decimal text {@code dollars}, such as {@code "0.10"}. */
        public Builder costUsd(String dollars) {
            this.cost = Microdollars.parse("cost", dollars);
            return this;
        }

        public Builder currency(String code) {
            this.currency = code;
            return this;
        }

        public Builder metadata(String key, Object value) {
            metadata.put(key, value);
            return this;
        }

        public Builder delegationChain(String chainId) {
            this.delegationChainId = chainId;
            return this;
        }

        public RecordCostRequest build() {
            return new RecordCostRequest(agentId, tool, inputTokens, outputTokens, cost, currency, metadata, delegationChainId);
        }
    }
}
