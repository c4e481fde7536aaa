import { createRootRoute, Outlet } from "@tanstack/react-router";
import { NotFoundPage } from "./NotFoundPage";

/** The root of both apps' routes: the staff app's and the Patient Portal's hang from it. */
export const root = createRootRoute({ component: Outlet, notFoundComponent: NotFoundPage });
