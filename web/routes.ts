import { index, layout, type RouteConfig, route } from "@react-router/dev/routes";

export default [
  route("sign-in", "routes/sign-in.tsx"),
  route("sign-out", "routes/sign-out.tsx"),
  layout("routes/app-layout.tsx", [index("routes/home.tsx")]),
] satisfies RouteConfig;
