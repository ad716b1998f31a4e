export { writeFileAtomic } from "./node/atomic-write.js";
