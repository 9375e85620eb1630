/**
 * Budget policies: scopes, limits, actions and periods (DESIGN section 5). The authorize pipeline
 * of kavach-core already calls a budget stage after the permission checks; this module will
 * provide the policy evaluation that plugs into it.
 */
package io.kavach.policy;
