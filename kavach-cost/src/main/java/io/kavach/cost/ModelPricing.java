package io.kavach.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kavach.error.InvalidInputException;
import io.kavach.model.Microdollars;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A dated table of model prices. The bundled table ({@link #defaults()}) holds list prices of
 * common OpenAI, Anthropic, Google and Mistral models as of its {@link #effectiveDate()}; a builder
 * overrides and extends it. An unknown model is an error, or priced at a configured default: never
 * a silent $0. Model names compare case-insensitively. Immutable and thread-safe.
 */
public final class ModelPricing {
    private static final String RESOURCE = "model-prices.json";

    private final LocalDate effectiveDate;
    private final Map<String, ModelPrice> prices;
    private final ModelPrice fallback;

    private ModelPricing(LocalDate effectiveDate, Map<String, ModelPrice> prices, ModelPrice fallback) {
        this.effectiveDate = effectiveDate;
        this.prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
        this.fallback = fallback;
    }

    /** The bundled table. */
    public static ModelPricing defaults() {
        return Defaults.TABLE;
    }

    /** A builder starting from the bundled table. */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /** A builder starting from an empty table. */
    public static Builder empty(LocalDate effectiveDate) {
        return new Builder(new ModelPricing(effectiveDate, Map.of(), null));
    }

    public LocalDate effectiveDate() {
        return effectiveDate;
    }

    /** Every priced model, by lower-case name. */
    public Map<String, ModelPrice> prices() {
        return prices;
    }

    public Optional<ModelPrice> find(String model) {
        return model == null ? Optional.empty() : Optional.ofNullable(prices.get(model.toLowerCase(Locale.ROOT)));
    }

    /**
     * The price of {@code model}, or the configured default price.
     *
     * @throws InvalidInputException naming the model when it is unknown and no default is configured
     */
    public ModelPrice priceOf(String model) {
        return find(model).or(() -> Optional.ofNullable(fallback)).orElseThrow(() -> new InvalidInputException("model", model,
                "has no price in the table of " + effectiveDate + "; add it with ModelPricing.builder().price(...)"
                        + " or set a default price"));
    }

    /** The cost of a call to {@code model}. */
    public Microdollars cost(String model, long inputTokens, long outputTokens) {
        return priceOf(model).cost(inputTokens, outputTokens);
    }

    /** Configures a table. Not thread-safe. */
    public static final class Builder {
        private LocalDate effectiveDate;
        private final Map<String, ModelPrice> prices;
        private ModelPrice fallback;

        private Builder(ModelPricing start) {
            this.effectiveDate = start.effectiveDate;
            this.prices = new LinkedHashMap<>(start.prices);
            this.fallback = start.fallback;
        }

        /** Adds or replaces a model's price, in dollars per million tokens such as {@code "2.50"}. */
        public Builder price(String provider, String model, String inputPerMillion, String outputPerMillion) {
            return price(new ModelPrice(provider, model, Microdollars.parse("inputPerMillion", inputPerMillion),
                    Microdollars.parse("outputPerMillion", outputPerMillion)));
        }

        public Builder price(ModelPrice price) {
            prices.put(price.model().toLowerCase(Locale.ROOT), price);
            return this;
        }

        /** The price charged for models not in the table, instead of an error. */
        public Builder defaultPrice(String inputPerMillion, String outputPerMillion) {
            this.fallback = new ModelPrice("default", "default", Microdollars.parse("inputPerMillion", inputPerMillion),
                    Microdollars.parse("outputPerMillion", outputPerMillion));
            return this;
        }

        public Builder effectiveDate(LocalDate date) {
            if (date == null) {
                throw new InvalidInputException("effectiveDate", null, "must not be null");
            }
            this.effectiveDate = date;
            return this;
        }

        public ModelPricing build() {
            return new ModelPricing(effectiveDate, prices, fallback);
        }
    }

    /** Loaded once, on first use. */
    private static final class Defaults {
        static final ModelPricing TABLE = load();

        private static ModelPricing load() {
            try (InputStream in = ModelPricing.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the bundled " + RESOURCE + " is missing from the kavach-cost jar");
                }
                JsonNode root = new ObjectMapper().readTree(in);
                Map<String, ModelPrice> prices = new LinkedHashMap<>();
                for (JsonNode m : root.path("models")) {
                    ModelPrice price = new ModelPrice(m.path("provider").asText(), m.path("model").asText(),
                            Microdollars.ofDollars("input", new BigDecimal(m.path("input").asText())),
                            Microdollars.ofDollars("output", new BigDecimal(m.path("output").asText())));
                    prices.put(price.model().toLowerCase(Locale.ROOT), price);
                }
                return new ModelPricing(LocalDate.parse(root.path("effectiveDate").asText()), prices, null);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bundled " + RESOURCE, e);
            }
        }
    }
}
