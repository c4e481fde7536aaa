import type { AppRouter } from "@clinic-chat/api";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

/** What each procedure returns, as the browser receives it (dates as ISO strings). */
export type Outputs = inferRouterOutputs<AppRouter>;
/** What each procedure takes. */
export type Inputs = inferRouterInputs<AppRouter>;

export type Me = Outputs["auth"]["me"];
export type ConversationPage = Outputs["conversations"]["list"];
export type ConversationSummary = ConversationPage["items"][number];
export type PersonView = ConversationPage["people"][number];
export type ConversationDetails = Outputs["conversations"]["open"];
export type HistoryPage = Outputs["conversations"]["history"];
export type MessageView = HistoryPage["messages"][number];
export type ComposerRules = ConversationDetails["composer"];
export type Decision = ComposerRules["text"];
export type SearchResult = Outputs["people"]["search"][number];
export type PersonRef = MessageView["sender"];
export type ClinicView = Outputs["clinic"]["entitlements"];
export type SignInOutcome = Outputs["auth"]["signIn"];
