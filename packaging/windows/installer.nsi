; NSIS script of the Windows installer (PK-01). packaging/package-windows.sh
; runs makensis with VERSION, VERSION4, EXE and OUTFILE defined.
;
; Installs for the current user (no administrator rights needed) into
; %LOCALAPPDATA%\Programs\LoyaltyDesk, with a Start-menu and a desktop
; shortcut and an entry in "Apps & features". The uninstaller removes the
; program but keeps the venue's data in %APPDATA%\LoyaltyDesk.

Unicode true
!include "MUI2.nsh"

Name "LoyaltyDesk ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\LoyaltyDesk"
InstallDirRegKey HKCU "Software\LoyaltyDesk" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma

VIProductVersion "${VERSION4}"
VIAddVersionKey "ProductName" "LoyaltyDesk"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "LoyaltyDesk installer"
VIAddVersionKey "CompanyName" "LoyaltyDesk"
VIAddVersionKey "LegalCopyright" "LoyaltyDesk"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_FINISHPAGE_RUN "$INSTDIR\loyaltydesk.exe"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\LoyaltyDesk"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Russian"
!insertmacro MUI_LANGUAGE "English"

Section "LoyaltyDesk" SecMain
  SetOutPath "$INSTDIR"
  File "/oname=loyaltydesk.exe" "${EXE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\LoyaltyDesk"
  CreateShortcut "$SMPROGRAMS\LoyaltyDesk\LoyaltyDesk.lnk" "$INSTDIR\loyaltydesk.exe"
  CreateShortcut "$SMPROGRAMS\LoyaltyDesk\Uninstall LoyaltyDesk.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\LoyaltyDesk.lnk" "$INSTDIR\loyaltydesk.exe"
  WriteRegStr HKCU "Software\LoyaltyDesk" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "LoyaltyDesk"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "LoyaltyDesk"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\loyaltydesk.exe"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
SectionEnd

; The uninstaller never touches %APPDATA%\LoyaltyDesk: the client base, the
; ledger and the settings stay for a reinstall or an upgrade.
Section "Uninstall"
  Delete "$INSTDIR\loyaltydesk.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\LoyaltyDesk\LoyaltyDesk.lnk"
  Delete "$SMPROGRAMS\LoyaltyDesk\Uninstall LoyaltyDesk.lnk"
  RMDir "$SMPROGRAMS\LoyaltyDesk"
  Delete "$DESKTOP\LoyaltyDesk.lnk"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\LoyaltyDesk"
SectionEnd
