import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { BirthDate, formatBirthDate } from "../src/ui/BirthDate";

describe("ADMIN-5: a date of birth shown the same in every locale", () => {
  it("ADMIN-5: formats an ISO date as day, short month and year, with no time zone shift", () => {
    expect(formatBirthDate("1984-03-12")).toBe("12 Mar 1984");
    expect(formatBirthDate("2001-12-01")).toBe("1 Dec 2001");
    expect(formatBirthDate("not a date")).toBe("not a date");
  });

  it("ADMIN-5: reads as 'born …' to a screen reader, and shows nothing when unknown", () => {
    const { container, rerender } = render(<BirthDate dateOfBirth="1984-03-12" />);
    expect(screen.getByText("12 Mar 1984", { exact: false })).toBeTruthy();
    expect(container.textContent).toBe("born b. 12 Mar 1984");
    rerender(<BirthDate dateOfBirth={null} />);
    expect(container.textContent).toBe("");
  });
});
