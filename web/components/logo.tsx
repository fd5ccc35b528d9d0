export function Logo({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 40 40" role="img" aria-label="PenguinMails">
      <rect width="40" height="40" rx="10" fill="#1f57d1" />
      <ellipse cx="20" cy="22" rx="10" ry="12" fill="#0f172a" />
      <ellipse cx="20" cy="25" rx="6.5" ry="8.5" fill="#fff" />
      <circle cx="16.5" cy="16" r="1.6" fill="#fff" />
      <circle cx="23.5" cy="16" r="1.6" fill="#fff" />
      <path d="M17.5 19.5h5l-2.5 2.6z" fill="#f59e0b" />
    </svg>
  );
}
